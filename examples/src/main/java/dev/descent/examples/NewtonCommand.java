package dev.descent.examples;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.descent.curvature.GraphConstants;
import dev.descent.curvature.HessianVectorProduct;
import dev.descent.solve.GradientRegularizedNewton;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Reproduces the comparison of Semenov, Jaggi and Doikov: the gradient-regularized Newton method
 * against gradient descent and the plain Newton method, on L2-regularized logistic regression
 * (digits 0–4 against 5–9) and softmax regression (10 classes) on the built-in digits, in float64:
 * iterations and wall time to f − f* &lt; 1e-8, where f* comes from a long regularized-Newton run.
 */
@Command(
        name = "newton",
        mixinStandardHelpOptions = true,
        description = {
            "Gradient-regularized Newton (Semenov, Jaggi, Doikov 2025) against gradient descent"
                    + " (Armijo backtracking) and the plain Newton method on L2-regularized"
                    + " logistic and softmax regression on the built-in UCI digits, in float64."
                    + " Reports iterations and time to f - f* < TOL and writes results.md,"
                    + " results.csv and newton.png (f - f* per iteration, log scale)."
        })
public final class NewtonCommand implements Callable<Integer> {

    /** Matrix-free solves: the softmax problem has 650 unknowns, too many to build H densely. */
    private static final GradientRegularizedNewton.LinearSolver LINEAR_SOLVER =
            GradientRegularizedNewton.LinearSolver.CONJUGATE_GRADIENT;

    private static final double CG_TOLERANCE = 1e-10;

    /** The iterations of the long regularized-Newton run that gives f*. */
    private static final int F_STAR_ITERATIONS = 200;

    /** The most iterations of the plain Newton method, whatever --max-iterations says. */
    private static final int NEWTON_ITERATIONS = 100;

    /** The files written into the output folder. */
    static final List<String> FILES = List.of("results.md", "results.csv", "newton.png");

    @Spec private CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "descent-out/newton",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(
            names = "--l2",
            defaultValue = "1e-3",
            description = "L2 regularization μ of both problems, > 0 (default: ${DEFAULT-VALUE}).")
    private double l2;

    @Option(
            names = "--tolerance",
            defaultValue = "1e-8",
            description = "Target suboptimality f - f*, > 0 (default: ${DEFAULT-VALUE}).")
    private double tolerance;

    @Option(
            names = "--max-iterations",
            defaultValue = "2000",
            description = "Iteration budget of each method, >= 1 (default: ${DEFAULT-VALUE}).")
    private int maxIterations;

    @Mixin private ProgressOption progress;

    /** Progress over the iteration budgets of the six runs. */
    private Progress bar;

    /** The budgets of the runs that have ended, for {@link #bar}. */
    private long budgetsDone;

    /** One method's trajectory: f − f* and the time at each iteration. */
    record Trajectory(String method, List<double[]> points, String status) {

        int iterationsToTarget(double tolerance) {
            for (double[] p : points) {
                if (p[2] < tolerance) {
                    return (int) p[0];
                }
            }
            return -1;
        }

        double secondsToTarget(double tolerance) {
            for (double[] p : points) {
                if (p[2] < tolerance) {
                    return p[1];
                }
            }
            return Double.NaN;
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!(l2 > 0) || !(tolerance > 0) || maxIterations < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--l2 and --tolerance must be > 0 and --max-iterations >= 1, got "
                            + l2
                            + ", "
                            + tolerance
                            + " and "
                            + maxIterations);
        }
        OutputLocation.checkFolder(spec, "--output", output, FILES);
        ClassificationData digits = DigitsDataset.load();
        Map<String, List<Trajectory>> results = new LinkedHashMap<>();
        long budgets =
                F_STAR_ITERATIONS + Math.min(maxIterations, NEWTON_ITERATIONS) + maxIterations;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                Progress iterations = progress.start("newton", 2 * budgets, "iterations")) {
            bar = iterations;
            results.put("logistic regression (0-4 vs 5-9)", run(manager, digits, false));
            results.put("softmax regression (10 classes)", run(manager, digits, true));
        }
        PrintWriter out = spec.commandLine().getOut();
        String table = table(results);
        out.print(table);
        out.flush();
        Files.createDirectories(output);
        Files.writeString(output.resolve("results.md"), summary(table), StandardCharsets.UTF_8);
        writeCsv(results, output.resolve("results.csv"));
        writePlot(results, output.resolve("newton.png"));
        out.println("Wrote " + output.resolve("results.md") + ", results.csv, newton.png");
        out.flush();
        return 0;
    }

    private List<Trajectory> run(NDManager manager, ClassificationData data, boolean softmax) {
        int n = data.rows();
        int features = data.featureCount() + 1;
        double[] x = new double[n * features];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < data.featureCount(); j++) {
                x[i * features + j] = data.features()[i * data.featureCount() + j];
            }
            x[i * features + features - 1] = 1; // bias
        }
        NDArray xs = manager.create(x, new Shape(n, features));
        int classes = softmax ? data.classCount() : 1;
        Function<NDArray, NDArray> f;
        if (softmax) {
            double[] onehot = new double[n * classes];
            for (int i = 0; i < n; i++) {
                onehot[i * classes + data.labels()[i]] = 1;
            }
            NDArray y = manager.create(onehot, new Shape(n, classes));
            f = softmaxRegression(xs, y, l2);
        } else {
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = data.labels()[i] >= 5 ? 1 : 0;
            }
            NDArray y = manager.create(labels);
            f = logisticRegression(xs, y, l2);
        }
        int d = features * classes;
        NDArray x0 = manager.zeros(new Shape(d), DataType.FLOAT64);
        // One long regularized-Newton run gives both f* (its best value, at ‖∇f‖ < 1e-11) and
        // the method's own trajectory.
        GradientRegularizedNewton.Result grn =
                GradientRegularizedNewton.builder()
                        .optGradientTolerance(1e-11)
                        .optMaxIterations(F_STAR_ITERATIONS)
                        .optLinearSolver(LINEAR_SOLVER, CG_TOLERANCE)
                        .build()
                        .minimize(x0, f, this::reached);
        ended(F_STAR_ITERATIONS);
        double fStar =
                grn.history().stream()
                        .mapToDouble(GradientRegularizedNewton.Iterate::value)
                        .min()
                        .orElseThrow();
        double target = fStar + tolerance;
        List<Trajectory> runs = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (GradientRegularizedNewton.Iterate it : grn.history()) {
            points.add(new double[] {it.iteration(), it.seconds(), it.value() - fStar});
        }
        runs.add(
                new Trajectory(
                        "gradient-regularized Newton",
                        points,
                        grn.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        runs.add(newton(x0, f, fStar, target));
        runs.add(gradientDescent(x0, f, fStar, target));
        return runs;
    }

    /**
     * {@code f(w) = −(1/n)·Σ y ⊙ log softmax(X·W) + (l2/2)·‖w‖²}, W = w as (features, classes).
     * Constants are {@link GraphConstants}: f is differentiated twice, its graph kept.
     *
     * @param xs the design matrix X, (n, features), kept open while f is used
     * @param y the one-hot labels, (n, classes), kept open while f is used
     * @param l2 the ridge coefficient
     * @return f
     */
    static Function<NDArray, NDArray> softmaxRegression(NDArray xs, NDArray y, double l2) {
        long n = xs.getShape().get(0);
        long features = xs.getShape().get(1);
        long classes = y.getShape().get(1);
        return w -> {
            NDArray logits = xs.matMul(w.reshape(features, classes));
            return GraphConstants.div(y.mul(logits.logSoftmax(1)).sum(), -n).add(ridge(w, l2));
        };
    }

    /**
     * {@code f(w) = mean(log(1 + exp(X·w)) − y ⊙ X·w) + (l2/2)·‖w‖²}. Constants are {@link
     * GraphConstants}: f is differentiated twice, its graph kept.
     *
     * @param xs the design matrix X, (n, features), kept open while f is used
     * @param y the labels in {0, 1}, (n), kept open while f is used
     * @param l2 the ridge coefficient
     * @return f
     */
    static Function<NDArray, NDArray> logisticRegression(NDArray xs, NDArray y, double l2) {
        return w -> {
            NDArray z = xs.matMul(w);
            return GraphConstants.add(z.exp(), 1).log().sub(y.mul(z)).mean().add(ridge(w, l2));
        };
    }

    private static NDArray ridge(NDArray w, double l2) {
        return GraphConstants.mul(w.square().sum(), 0.5 * l2);
    }

    /** Value and gradient at x (first-order autograd only). */
    private static double[] valueAndGradient(
            NDArray x, Function<NDArray, NDArray> f, NDArray[] gradient) {
        try (HessianVectorProduct first =
                HessianVectorProduct.ofFunction(
                        new NDList(x),
                        args -> f.apply(args.head()),
                        HessianVectorProduct.Method.FINITE_DIFFERENCE)) {
            gradient[0] = first.gradient(x.getManager());
            return new double[] {first.value()};
        }
    }

    private Trajectory gradientDescent(
            NDArray x0, Function<NDArray, NDArray> f, double fStar, double target) {
        long start = System.nanoTime();
        NDArray x = x0.duplicate();
        NDArray[] g = new NDArray[1];
        double value = valueAndGradient(x, f, g)[0];
        double step = 1;
        List<double[]> points = new ArrayList<>();
        String status = "iterations exceeded";
        for (int k = 0; ; k++) {
            bar.stepTo(budgetsDone + k);
            points.add(new double[] {k, (System.nanoTime() - start) / 1e9, value - fStar});
            if (value < target) {
                status = "target reached";
                break;
            }
            if (k == maxIterations) {
                break;
            }
            double gg = g[0].dot(g[0]).getDouble();
            step *= 2; // Armijo backtracking from twice the last accepted step
            while (true) {
                NDArray trial = x.sub(g[0].mul(step));
                NDArray[] gTrial = new NDArray[1];
                double trialValue = valueAndGradient(trial, f, gTrial)[0];
                if (trialValue <= value - 0.5 * step * gg || step < 1e-12) {
                    x = trial;
                    g = gTrial;
                    value = trialValue;
                    break;
                }
                step *= 0.5;
            }
        }
        ended(maxIterations);
        return new Trajectory("gradient descent (Armijo)", points, status);
    }

    private Trajectory newton(
            NDArray x0, Function<NDArray, NDArray> f, double fStar, double target) {
        List<double[]> points = new ArrayList<>();
        String status = "iterations exceeded";
        // plain Newton: the regularized method with λ ≈ 0 (γ huge, never adapted)
        GradientRegularizedNewton.Result result =
                GradientRegularizedNewton.builder()
                        .optGamma0(1e12)
                        .optGammaMin(1e12)
                        .optTarget(fStar, tolerance)
                        .optMaxIterations(Math.min(maxIterations, NEWTON_ITERATIONS))
                        .optLinearSolver(LINEAR_SOLVER, CG_TOLERANCE)
                        .build()
                        .minimize(x0, f, this::reached);
        ended(Math.min(maxIterations, NEWTON_ITERATIONS));
        for (GradientRegularizedNewton.Iterate it : result.history()) {
            double gap = it.value() - fStar;
            points.add(new double[] {it.iteration(), it.seconds(), gap});
            if (!Double.isFinite(gap)) {
                status = "diverged";
                break;
            }
        }
        if (result.status() == GradientRegularizedNewton.Status.TARGET_REACHED) {
            status = "target reached";
        }
        return new Trajectory("Newton", points, status);
    }

    private void reached(GradientRegularizedNewton.Iterate iterate) {
        bar.stepTo(budgetsDone + iterate.iteration());
    }

    /** A run with this iteration budget ended (perhaps early): its whole budget counts as done. */
    private void ended(int budget) {
        budgetsDone += budget;
        bar.stepTo(budgetsDone);
    }

    private String table(Map<String, List<Trajectory>> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| problem | method | iterations to f - f* < %.0e | seconds | status |%n",
                        tolerance));
        sb.append("|---|---|---:|---:|---|\n");
        for (Map.Entry<String, List<Trajectory>> e : results.entrySet()) {
            for (Trajectory t : e.getValue()) {
                int it = t.iterationsToTarget(tolerance);
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %s | %s | %s |%n",
                                e.getKey(),
                                t.method(),
                                it < 0 ? "not reached" : Integer.toString(it),
                                it < 0 ? "-" : TableNumbers.format(t.secondsToTarget(tolerance), 2),
                                t.status()));
            }
        }
        return sb.toString();
    }

    private String summary(String table) {
        return "# Gradient-regularized Newton on the digits\n\n"
                + String.format(
                        Locale.ROOT,
                        "L2 regularization %.1e, float64, start at 0; f* is the best value of the"
                                + " regularized-Newton run, which goes on to ‖∇f‖ < 1e-11; linear"
                                + " systems by conjugate gradients (relative residual 1e-10). Command: `descent newton --l2 %s --tolerance %s"
                                + " --max-iterations %d`.%n%n",
                        l2,
                        l2,
                        tolerance,
                        maxIterations)
                + table;
    }

    private static void writeCsv(Map<String, List<Trajectory>> results, Path file) {
        StringBuilder sb = new StringBuilder("problem,method,iteration,seconds,suboptimality\n");
        results.forEach(
                (problem, runs) -> {
                    for (Trajectory t : runs) {
                        for (double[] p : t.points()) {
                            sb.append(
                                    String.format(
                                            Locale.ROOT,
                                            "%s,%s,%d,%.6f,%.6e%n",
                                            problem,
                                            t.method(),
                                            (int) p[0],
                                            p[1],
                                            p[2]));
                        }
                    }
                });
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writePlot(Map<String, List<Trajectory>> results, Path file)
            throws IOException {
        List<XYChart> charts = new ArrayList<>();
        Color[] colours = {Color.BLACK, new Color(0xD55E00), new Color(0x0072B2)};
        for (Map.Entry<String, List<Trajectory>> e : results.entrySet()) {
            XYChart chart =
                    new XYChartBuilder()
                            .width(600)
                            .height(450)
                            .title(e.getKey())
                            .xAxisTitle("iteration + 1 (log scale)")
                            .yAxisTitle("f - f* (log scale)")
                            .build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setMarkerSize(4);
            int c = 0;
            for (Trajectory t : e.getValue()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (double[] p : t.points()) {
                    if (p[2] > 1e-16 && Double.isFinite(p[2])) {
                        xs.add(p[0] + 1);
                        ys.add(p[2]);
                    }
                }
                if (!xs.isEmpty()) {
                    org.knowm.xchart.XYSeries series = chart.addSeries(t.method(), xs, ys);
                    series.setLineColor(colours[c % colours.length]);
                    series.setMarkerColor(colours[c % colours.length]);
                }
                c++;
            }
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(
                charts, 1, charts.size(), file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

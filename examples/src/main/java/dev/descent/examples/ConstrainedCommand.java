package dev.descent.examples;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.descent.solve.ConstrainedTestProblems;
import dev.descent.solve.ConstrainedTestProblems.TestProblem;
import dev.descent.solve.EqualityConstrainedProblem;
import dev.descent.solve.ExactAugmentedLagrangian;
import dev.descent.solve.ExactAugmentedLagrangian.KktSolver;
import dev.descent.solve.ExactAugmentedLagrangian.Result;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.vector.constrained.EqualityConstraint;
import org.hipparchus.optim.nonlinear.vector.constrained.LagrangeSolution;
import org.hipparchus.optim.nonlinear.vector.constrained.SQPOptimizerS;
import org.hipparchus.optim.nonlinear.vector.constrained.TwiceDifferentiableFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The equality-constrained test problems solved by AdaSketch-Newton ({@link
 * ExactAugmentedLagrangian}) with the Gaussian sketch, with randomized Kaczmarz and with the exact
 * Newton–KKT solve, beside Hipparchus' SQP ({@link SQPOptimizerS}, BFGS, its defaults), printing
 * iterations to ‖(∇ₓL, c)‖ ≤ tolerance.
 */
@Command(
        name = "constrained",
        mixinStandardHelpOptions = true,
        description = {
            "AdaSketch-Newton (exact augmented Lagrangian, Hong et al. ICML 2023) on"
                    + " Hock-Schittkowski/BT problems and a constrained logistic regression:"
                    + " iterations of the Gaussian sketch, randomized Kaczmarz and exact Newton"
                    + " variants beside Hipparchus' SQPOptimizerS. Prints a Markdown table."
        })
public final class ConstrainedCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = "--problem",
            defaultValue = "all",
            description =
                    "A problem name (HS6, HS7, HS26, HS27, HS28, HS39, HS40, HS42, HS46-HS52, HS56,"
                            + " HS77-HS79, BT2, BT3, BT5, BT6, BT10-BT12, LOGREG) or 'all'"
                            + " (default: ${DEFAULT-VALUE}).")
    private String problem;

    @Option(
            names = "--tolerance",
            defaultValue = "1e-4",
            description = "KKT tolerance, > 0 (default: ${DEFAULT-VALUE}, the reference's).")
    private double tolerance;

    @Option(
            names = "--seed",
            defaultValue = "2023",
            description = "Seed of the sketches (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() {
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new ParameterException(
                    spec.commandLine(), "--tolerance must be finite and > 0, got " + tolerance);
        }
        List<TestProblem> problems;
        if (problem.equalsIgnoreCase("all")) {
            problems = ConstrainedTestProblems.all();
        } else {
            try {
                problems = List.of(ConstrainedTestProblems.byName(problem));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--problem: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                "| problem | n | m | f* | f (GV) | KKT (GV) | GV it. | RK it. | exact it."
                        + " | Hipparchus SQP it. | SQP KKT |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (TestProblem p : problems) {
                List<String> row = new ArrayList<>();
                EqualityConstrainedProblem q = p.problem();
                row.add(p.name());
                row.add(Integer.toString(q.dimension()));
                row.add(Integer.toString(q.constraintCount()));
                row.add(format("%.8g", p.optimum()));
                Result gv = run(q, KktSolver.GAUSSIAN_SKETCH, manager);
                row.add(format("%.8g", gv.value()));
                row.add(format("%.1e", gv.kktResidual()));
                row.add(iterations(gv));
                row.add(iterations(run(q, KktSolver.RANDOMIZED_KACZMARZ, manager)));
                row.add(iterations(run(q, KktSolver.EXACT, manager)));
                row.addAll(hipparchus(q, manager));
                out.println("| " + String.join(" | ", row) + " |");
                out.flush();
            }
        }
        return 0;
    }

    private Result run(EqualityConstrainedProblem q, KktSolver solver, NDManager manager) {
        return ExactAugmentedLagrangian.builder()
                .optKktSolver(solver)
                .optTolerance(tolerance)
                .optSeed(seed)
                .build()
                .solve(q, q.start(), q.startMultipliers(), manager);
    }

    private static String iterations(Result r) {
        return r.status() == ExactAugmentedLagrangian.Status.CONVERGED
                ? Integer.toString(r.iterations())
                : r.status().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Hipparchus' SQP from x₀ (its own stopping rule, at most 1000 iterations); the KKT residual at
     * its solution is measured with least-squares multipliers, min ‖∇f + Gᵀλ‖.
     */
    private static List<String> hipparchus(EqualityConstrainedProblem q, NDManager manager) {
        int n = q.dimension();
        int m = q.constraintCount();
        double[] zeros = new double[m];
        TwiceDifferentiableFunction objective =
                new TwiceDifferentiableFunction() {
                    @Override
                    public int dim() {
                        return n;
                    }

                    @Override
                    public double value(RealVector x) {
                        return q.firstOrder(x.toArray(), zeros, manager).value();
                    }

                    @Override
                    public RealVector gradient(RealVector x) {
                        return new ArrayRealVector(
                                q.firstOrder(x.toArray(), zeros, manager).lagrangianGradient());
                    }

                    @Override
                    public RealMatrix hessian(RealVector x) {
                        return toHipparchus(
                                q.derivatives(x.toArray(), zeros, manager).lagrangianHessian());
                    }
                };
        EqualityConstraint constraints =
                new EqualityConstraint(new ArrayRealVector(m)) {
                    @Override
                    public int dim() {
                        return n;
                    }

                    @Override
                    public int dimY() {
                        return m;
                    }

                    @Override
                    public RealVector value(RealVector x) {
                        return new ArrayRealVector(
                                q.firstOrder(x.toArray(), zeros, manager).constraintValues());
                    }

                    @Override
                    public RealMatrix jacobian(RealVector x) {
                        return toHipparchus(q.derivatives(x.toArray(), zeros, manager).jacobian());
                    }
                };
        SQPOptimizerS sqp = new SQPOptimizerS();
        try {
            LagrangeSolution solution =
                    sqp.optimize(
                            new ObjectiveFunction(objective),
                            constraints,
                            new InitialGuess(q.start()),
                            new MaxIter(1000));
            double kkt = leastSquaresKkt(q.derivatives(solution.getX().toArray(), zeros, manager));
            String iterations =
                    kkt <= 1e-4 ? Integer.toString(sqp.getIterations()) : sqp.getIterations() + "*";
            return List.of(iterations, format("%.1e", kkt));
        } catch (RuntimeException e) {
            // SQPOptimizerS throws its own exceptions, and a NullPointerException from inside
            // when its QP subproblem fails: either way the run failed
            return List.of("failed", "–");
        }
    }

    /** ‖(∇f + Gᵀλ, c)‖ with λ = argmin ‖∇f + Gᵀλ‖ (λ₀ = 0 in d, so ∇ₓL there is ∇f). */
    private static double leastSquaresKkt(EqualityConstrainedProblem.Derivatives d) {
        DMatrixRMaj gt = CommonOps_DDRM.transpose(d.jacobian(), null);
        DMatrixRMaj g =
                new DMatrixRMaj(d.objectiveGradient().length, 1, true, d.objectiveGradient());
        DMatrixRMaj lambda = new DMatrixRMaj(gt.numCols, 1);
        CommonOps_DDRM.scale(-1, g);
        if (!CommonOps_DDRM.solve(gt, g, lambda)) {
            return Double.NaN;
        }
        DMatrixRMaj residual = new DMatrixRMaj(gt.numRows, 1);
        CommonOps_DDRM.mult(gt, lambda, residual);
        CommonOps_DDRM.subtractEquals(residual, g);
        double s = CommonOps_DDRM.dot(residual, residual);
        for (double c : d.constraintValues()) {
            s += c * c;
        }
        return Math.sqrt(s);
    }

    private static RealMatrix toHipparchus(DMatrixRMaj a) {
        double[][] data = new double[a.numRows][a.numCols];
        for (int i = 0; i < a.numRows; i++) {
            for (int j = 0; j < a.numCols; j++) {
                data[i][j] = a.get(i, j);
            }
        }
        return new Array2DRowRealMatrix(data, false);
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}

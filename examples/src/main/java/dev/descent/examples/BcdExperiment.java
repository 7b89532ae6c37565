package dev.descent.examples;

import dev.descent.solve.BlockCoordinateDescent;
import dev.descent.solve.BlockCoordinateProblems;
import dev.descent.solve.BlockObjective;
import dev.descent.solve.BlockPartitions;
import dev.descent.solve.BlockRule;
import dev.descent.solve.BlockSelection;
import dev.descent.solve.BlockUpdate;
import dev.descent.solve.GaussianBeliefPropagation;
import dev.descent.solve.QuadraticObjective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The comparisons of Nutini, Laradji and Schmidt's figures 4–6 on the reference's synthetic
 * problems (scaled): selection rules with 1/L_b updates, with matrix or Newton updates, the updates
 * against each other, and exact message-passing updates on a lattice quadratic. Every curve is f −
 * f* per iteration from x₀ = 0.
 */
final class BcdExperiment {

    /**
     * Problem sizes and budgets.
     *
     * @param rows m of datasets A–C
     * @param cols p of datasets A and B (n = p)
     * @param softmaxFeatures p of dataset C (n = p·classes)
     * @param classes k of dataset C
     * @param latticeSide the lattice of dataset D is side × side
     * @param labels labelled lattice nodes
     * @param blockSize τ
     * @param iterations per run
     * @param seed of the data and of the random rules
     */
    record Settings(
            int rows,
            int cols,
            int softmaxFeatures,
            int classes,
            int latticeSide,
            int labels,
            int blockSize,
            int iterations,
            long seed) {}

    /** The reference's experiments scaled to run in about a minute (reference: 1000 × 10000). */
    static final Settings DEFAULT = new Settings(200, 2000, 100, 10, 50, 100, 5, 500, 1);

    /** One run: f − f* before the first and after every update. */
    record Curve(String label, double[] gaps) {
        double last() {
            return gaps[gaps.length - 1];
        }

        /** The first iteration with gap ≤ level, or −1. */
        int reach(double level) {
            for (int k = 0; k < gaps.length; k++) {
                if (gaps[k] <= level) {
                    return k;
                }
            }
            return -1;
        }
    }

    /** A figure panel. */
    record Panel(String title, List<Curve> curves) {
        Curve curve(String label) {
            return curves.stream()
                    .filter(c -> c.label().equals(label))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no curve " + label));
        }
    }

    /**
     * Everything measured.
     *
     * @param panels the figure panels
     * @param fStars f* per problem
     * @param bpError max |x_BP − x_dense| / max |x_dense| on the first tree block of the lattice
     */
    record Outcome(List<Panel> panels, Map<String, Double> fStars, double bpError) {}

    private static final List<BlockRule> BASELINES =
            List.of(
                    BlockRule.RANDOM,
                    BlockRule.CYCLIC,
                    BlockRule.LIPSCHITZ,
                    BlockRule.GS,
                    BlockRule.GSL);
    private static final List<BlockRule> GREEDY =
            List.of(BlockRule.GS, BlockRule.GSL, BlockRule.GSD, BlockRule.GSQ);

    /** Runs per call of {@link #run}, for progress. */
    static int runCount() {
        // 3 problems × fixed/variable × the rules; the updates panel adds logistic GSL-VB Hb and
        // softmax GSL-VB Newton (the rest are memoized); 5 lattice runs
        return 3 * 2 * (BASELINES.size() + GREEDY.size()) + 2 + 5;
    }

    private final Settings s;
    private final IntConsumer finished;
    private final Map<String, Curve> memo = new LinkedHashMap<>();
    private int done;

    private BcdExperiment(Settings s, IntConsumer finished) {
        this.s = s;
        this.finished = finished;
    }

    /**
     * Runs every comparison.
     *
     * @param s the sizes
     * @param finished told the number of runs done after each one
     * @return the panels
     */
    static Outcome run(Settings s, IntConsumer finished) {
        return new BcdExperiment(s, finished).all();
    }

    private Outcome all() {
        List<Panel> panels = new ArrayList<>();
        Map<String, Double> fStars = new LinkedHashMap<>();
        BlockCoordinateProblems.Regression a =
                BlockCoordinateProblems.leastSquares(s.rows(), s.cols(), s.seed());
        double fa = a.leastSquaresMinimum();
        fStars.put("least squares (A)", fa);
        BlockObjective ls = a.leastSquares();
        BlockObjective lg =
                BlockCoordinateProblems.logistic(s.rows(), s.cols(), s.seed()).logistic();
        fStars.put("logistic (B), inf f for separable data", 0.0);
        BlockObjective sf =
                BlockCoordinateProblems.softmax(
                                s.rows(), s.softmaxFeatures(), s.classes(), s.seed())
                        .softmax();
        fStars.put("softmax (C), inf f for separable data", 0.0);
        Object[][] problems = {
            {"least squares (A)", ls, fa, BlockUpdate.MATRIX},
            {"logistic (B)", lg, 0.0, BlockUpdate.NEWTON},
            {"softmax (C)", sf, 0.0, BlockUpdate.MATRIX}
        };
        for (Object[] p : problems) {
            String name = (String) p[0];
            BlockObjective f = (BlockObjective) p[1];
            double fStar = (double) p[2];
            BlockUpdate second = (BlockUpdate) p[3];
            List<Curve> rules = new ArrayList<>();
            for (boolean variable : new boolean[] {false, true}) {
                for (BlockRule rule : BASELINES) {
                    rules.add(curve(name, f, fStar, rule, variable, BlockUpdate.LIPSCHITZ));
                }
            }
            panels.add(new Panel(name + ", 1/L_b updates", rules));
            List<Curve> greedy = new ArrayList<>();
            for (boolean variable : new boolean[] {false, true}) {
                for (BlockRule rule : GREEDY) {
                    greedy.add(curve(name, f, fStar, rule, variable, second));
                }
            }
            panels.add(new Panel(name + ", " + describe(second) + " updates", greedy));
        }
        List<Curve> updates = new ArrayList<>();
        for (Object[] p : problems) {
            for (BlockUpdate u :
                    List.of(BlockUpdate.LIPSCHITZ, BlockUpdate.MATRIX, BlockUpdate.NEWTON)) {
                if (p[1] == ls && u == BlockUpdate.NEWTON) {
                    continue; // for least squares the Newton step is the matrix step
                }
                Curve c =
                        curve(
                                (String) p[0],
                                (BlockObjective) p[1],
                                (double) p[2],
                                BlockRule.GSL,
                                true,
                                u);
                updates.add(new Curve(p[0] + " " + c.label(), c.gaps()));
            }
        }
        panels.add(new Panel("updates (GSL-VB rule)", updates));
        BlockCoordinateProblems.Lattice lattice =
                BlockCoordinateProblems.lattice(
                        s.latticeSide(), s.latticeSide(), s.labels(), 1e5, s.seed());
        QuadraticObjective q = lattice.objective();
        double[] yStar = lattice.minimizer();
        double fd = q.value(yStar);
        fStars.put("lattice (D)", fd);
        int n = q.dimension();
        int general = (int) Math.floor(Math.cbrt(n));
        List<Curve> trees = new ArrayList<>();
        trees.add(
                lattice(
                        q,
                        fd,
                        "Red-Black",
                        BlockSelection.fixed(q, lattice.redBlack(), BlockRule.CYCLIC, s.seed()),
                        BlockUpdate.BELIEF_PROPAGATION));
        trees.add(
                lattice(
                        q,
                        fd,
                        "Tree Partitions",
                        BlockSelection.fixed(q, lattice.trees(), BlockRule.CYCLIC, s.seed()),
                        BlockUpdate.BELIEF_PROPAGATION));
        trees.add(
                lattice(
                        q,
                        fd,
                        "Greedy Tree",
                        BlockSelection.greedyForest(q, BlockRule.GS, s.seed()),
                        BlockUpdate.BELIEF_PROPAGATION));
        trees.add(
                lattice(
                        q,
                        fd,
                        "Random Tree",
                        BlockSelection.greedyForest(q, BlockRule.RANDOM, s.seed()),
                        BlockUpdate.BELIEF_PROPAGATION));
        trees.add(
                lattice(
                        q,
                        fd,
                        "General (GS-VB, b = " + general + ")",
                        BlockSelection.variable(q, general, BlockRule.GS, s.seed()),
                        BlockUpdate.MATRIX));
        panels.add(new Panel("lattice (D), exact updates", trees));
        return new Outcome(panels, fStars, bpError(q, lattice.trees()[0]));
    }

    private static String describe(BlockUpdate u) {
        return u == BlockUpdate.NEWTON ? "Newton (line search)" : "matrix H_b";
    }

    /** One run, memoized: the updates panel reuses the runs of the rule panels. */
    private Curve curve(
            String problem,
            BlockObjective f,
            double fStar,
            BlockRule rule,
            boolean variable,
            BlockUpdate update) {
        String label = label(rule, variable, update);
        String key = problem + "|" + label;
        Curve cached = memo.get(key);
        if (cached != null) {
            return cached;
        }
        BlockSelection selection =
                variable
                        ? BlockSelection.variable(f, s.blockSize(), rule, s.seed())
                        : BlockSelection.fixed(
                                f,
                                BlockPartitions.sorted(f.coordinateLipschitz(), s.blockSize()),
                                rule,
                                s.seed());
        Curve c = new Curve(label, gaps(f, fStar, selection, update));
        memo.put(key, c);
        return c;
    }

    /** RULE-FB or RULE-VB and the update; GSL-VB and GSQ-VB are the reference's GSDHb and IHT. */
    private static String label(BlockRule rule, boolean variable, BlockUpdate update) {
        String u =
                switch (update) {
                    case LIPSCHITZ -> "Lb";
                    case MATRIX -> "Hb";
                    case NEWTON -> "Newton";
                    case BELIEF_PROPAGATION -> "BP";
                };
        return rule + (variable ? "-VB " : "-FB ") + u;
    }

    private Curve lattice(
            QuadraticObjective q,
            double fStar,
            String label,
            BlockSelection selection,
            BlockUpdate update) {
        return new Curve(label, gaps(q, fStar, selection, update));
    }

    private double[] gaps(
            BlockObjective f, double fStar, BlockSelection selection, BlockUpdate update) {
        BlockCoordinateDescent.Result r =
                BlockCoordinateDescent.builder()
                        .setObjective(f)
                        .setSelection(selection)
                        .setUpdate(update)
                        .optMaxIterations(s.iterations())
                        .build()
                        .minimize(new double[f.dimension()]);
        double[] values = r.values();
        double[] gaps = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            gaps[k] = Math.max(values[k] - fStar, 0);
        }
        finished.accept(++done);
        return gaps;
    }

    /** Belief propagation against a dense Cholesky solve of one tree block, from a fixed h. */
    private static double bpError(QuadraticObjective q, int[] block) {
        int b = block.length;
        double[][] qbb = q.blockBound(block);
        double[] h = new double[b];
        for (int i = 0; i < b; i++) {
            h[i] = Math.sin(0.37 * i + 1) * 1e5;
        }
        double[] bp = GaussianBeliefPropagation.solveForest(q.matrix(), block, h);
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(b);
        if (!chol.setA(new DMatrixRMaj(qbb))) {
            throw new ArithmeticException("Q_bb is not positive definite");
        }
        DMatrixRMaj x = new DMatrixRMaj(b, 1);
        chol.solve(new DMatrixRMaj(h), x);
        double err = 0;
        double scale = 0;
        for (int i = 0; i < b; i++) {
            err = Math.max(err, Math.abs(bp[i] - x.get(i)));
            scale = Math.max(scale, Math.abs(x.get(i)));
        }
        return err / scale;
    }

    /**
     * A measured claim: the first method ends below the second (f − f* after the budget).
     *
     * @param text what is claimed
     * @param better f − f* of the method claimed better
     * @param worse f − f* of the other
     */
    record Claim(String text, double better, double worse) {
        boolean holds() {
            return better < worse;
        }
    }

    /** The paper's claims, checked on the outcome (final f − f*, lower is better). */
    static List<Claim> claims(Outcome o) {
        List<Claim> claims = new ArrayList<>();
        for (String problem : List.of("least squares (A)", "logistic (B)", "softmax (C)")) {
            Panel lb = panel(o, problem + ", 1/L_b updates");
            for (String part : List.of("FB", "VB")) {
                claims.add(
                        compare(
                                problem + ", Lb: GSL-" + part + " beats GS-" + part,
                                lb,
                                "GSL-" + part + " Lb",
                                "GS-" + part + " Lb"));
                claims.add(
                        compare(
                                problem + ", Lb: GSL-" + part + " beats RANDOM-" + part,
                                lb,
                                "GSL-" + part + " Lb",
                                "RANDOM-" + part + " Lb"));
            }
            Panel second =
                    o.panels().stream()
                            .filter(
                                    p ->
                                            p.title().startsWith(problem)
                                                    && !p.title().endsWith("1/L_b updates"))
                            .findFirst()
                            .orElseThrow();
            String u = problem.startsWith("logistic") ? "Newton" : "Hb";
            for (String part : List.of("FB", "VB")) {
                claims.add(
                        compare(
                                problem + ", " + u + ": GSQ-" + part + " beats GS-" + part,
                                second,
                                "GSQ-" + part + " " + u,
                                "GS-" + part + " " + u));
            }
            Panel updates = panel(o, "updates (GSL-VB rule)");
            claims.add(
                    compare(
                            problem + ": matrix update beats 1/L_b (GSL-VB)",
                            updates,
                            problem + " GSL-VB Hb",
                            problem + " GSL-VB Lb"));
            if (!problem.startsWith("least")) {
                claims.add(
                        compare(
                                problem + ": Newton update beats 1/L_b (GSL-VB)",
                                updates,
                                problem + " GSL-VB Newton",
                                problem + " GSL-VB Lb"));
            }
        }
        Panel lattice = panel(o, "lattice (D), exact updates");
        claims.add(
                compare(
                        "lattice: Tree Partitions beat Red-Black",
                        lattice,
                        "Tree Partitions",
                        "Red-Black"));
        claims.add(
                compare(
                        "lattice: Greedy Tree beats Random Tree",
                        lattice,
                        "Greedy Tree",
                        "Random Tree"));
        Curve general = lattice.curves().get(lattice.curves().size() - 1);
        claims.add(
                new Claim(
                        "lattice: Greedy Tree beats " + general.label(),
                        lattice.curve("Greedy Tree").last(),
                        general.last()));
        claims.add(
                new Claim(
                        "belief propagation solves a tree block: max relative error vs Cholesky below 1e-10",
                        o.bpError(),
                        1e-10));
        return claims;
    }

    private static Panel panel(Outcome o, String title) {
        return o.panels().stream().filter(p -> p.title().equals(title)).findFirst().orElseThrow();
    }

    private static Claim compare(String text, Panel panel, String better, String worse) {
        return new Claim(text, panel.curve(better).last(), panel.curve(worse).last());
    }
}

package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.simple.SimpleEVD;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

/** Properties of the BCD rules, updates and message passing against dense re-derivations. */
class BlockCoordinateDescentTest {

    /** Float64 agreement of two dense solves of a well-conditioned system. */
    private static final double F64 = 1e-10;

    private static double[][] randomMatrix(int m, int p, Random random) {
        double[][] a = new double[m][p];
        for (double[] row : a) {
            for (int j = 0; j < p; j++) {
                row[j] = random.nextGaussian() * (1 + j % 3);
            }
        }
        return a;
    }

    private static double[] randomVector(int n, Random random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static double lambdaMax(double[][] h) {
        SimpleEVD<SimpleMatrix> evd = new SimpleMatrix(h).eig();
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < h.length; i++) {
            max = Math.max(max, evd.getEigenvalue(i).getReal());
        }
        return max;
    }

    private static double[] gather(double[] v, int[] block) {
        return Arrays.stream(block).mapToDouble(i -> v[i]).toArray();
    }

    /** Σ|g_b| / √L_b etc. straight from the definitions (BlockRule's table). */
    private static double fixedScore(BlockRule rule, BlockObjective f, int[] block, double[] g) {
        double[] l = f.coordinateLipschitz();
        double s = 0;
        for (int i : block) {
            s += rule == BlockRule.GSD ? Math.abs(g[i]) / Math.sqrt(l[i]) : Math.abs(g[i]);
        }
        if (rule == BlockRule.GSL) {
            s /= Math.sqrt(lambdaMax(f.blockBound(block)));
        }
        if (rule == BlockRule.GSQ) {
            SimpleMatrix h = new SimpleMatrix(f.globalBound(block));
            SimpleMatrix gb = new SimpleMatrix(block.length, 1, true, gather(g, block));
            s =
                    Math.sqrt(
                            gb.transpose()
                                    .mult(
                                            h.plus(SimpleMatrix.identity(block.length).scale(1e-10))
                                                    .invert())
                                    .mult(gb)
                                    .get(0));
        }
        return s;
    }

    @Test
    void fixedRulesPickTheBlockOfLargestScore() {
        Random random = new Random(11);
        List<BlockObjective> objectives =
                List.of(
                        BlockObjective.leastSquares(
                                randomMatrix(15, 12, random), randomVector(15, random)),
                        BlockCoordinateProblems.softmax(12, 4, 3, 5).softmax());
        for (BlockObjective f : objectives) {
            int[][] partition = BlockPartitions.ordered(12, 3);
            for (int trial = 0; trial < 20; trial++) {
                double[] x = randomVector(12, random);
                double[] g = f.gradient(x);
                for (BlockRule rule :
                        List.of(BlockRule.GS, BlockRule.GSL, BlockRule.GSD, BlockRule.GSQ)) {
                    int[] chosen = BlockSelection.fixed(f, partition, rule, 0).next(x, g, trial);
                    double chosenScore = fixedScore(rule, f, chosen, g);
                    for (int[] block : partition) {
                        assertThat(chosenScore)
                                .as(rule + " trial " + trial)
                                .isGreaterThanOrEqualTo(
                                        fixedScore(rule, f, block, g) * (1 - 1e-12));
                    }
                }
            }
        }
    }

    @Test
    void variableRulesPickTheBestSubsetOfSizeTau() {
        Random random = new Random(12);
        double[][] a = randomMatrix(14, 10, random);
        BlockObjective f = BlockObjective.leastSquares(a, randomVector(14, random));
        double[] l = f.coordinateLipschitz();
        double[][] h = new SimpleMatrix(a).transpose().mult(new SimpleMatrix(a)).toArray2();
        double[] rowSums = new double[10];
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                rowSums[i] += Math.abs(h[i][j]);
            }
        }
        for (int trial = 0; trial < 10; trial++) {
            double[] x = randomVector(10, random);
            double[] g = f.gradient(x);
            for (BlockRule rule : List.of(BlockRule.GS, BlockRule.GSD, BlockRule.GSL)) {
                double[] w = rule == BlockRule.GS ? null : rule == BlockRule.GSD ? l : rowSums;
                int[] chosen = BlockSelection.variable(f, 3, rule, 0).next(x, g, trial);
                double best = 0;
                for (int i = 0; i < 10; i++) { // all 120 subsets of size 3
                    for (int j = i + 1; j < 10; j++) {
                        for (int k = j + 1; k < 10; k++) {
                            best = Math.max(best, sum(new int[] {i, j, k}, g, w));
                        }
                    }
                }
                assertThat(sum(chosen, g, w))
                        .as(rule.toString())
                        .isCloseTo(best, within(1e-12 * best));
            }
        }
    }

    private static double sum(int[] block, double[] g, double[] w) {
        double s = 0;
        for (int i : block) {
            s += Math.abs(g[i]) / (w == null ? 1 : Math.sqrt(w[i]));
        }
        return s;
    }

    @Test
    void lipschitzAndMatrixStepsDecreaseByTheGuaranteedAmount() {
        List<BlockObjective> objectives =
                List.of(
                        BlockCoordinateProblems.leastSquares(30, 60, 1).leastSquares(),
                        BlockCoordinateProblems.logistic(30, 60, 2).logistic(),
                        BlockCoordinateProblems.softmax(30, 10, 4, 3).softmax());
        for (BlockObjective f : objectives) {
            BlockSelection random = BlockSelection.variable(f, 5, BlockRule.RANDOM, 7);
            double[] x = new double[f.dimension()];
            for (int k = 0; k < 60; k++) {
                double[] g = f.gradient(x);
                int[] block = random.next(x, g, k);
                double[] gb = gather(g, block);
                double fx = f.value(x);
                double[] y = x.clone();
                BlockUpdate.LIPSCHITZ.apply(f, y, g, block);
                double gg = Arrays.stream(gb).map(v -> v * v).sum();
                double lb = lambdaMax(f.blockBound(block));
                assertThat(f.value(y))
                        .isLessThanOrEqualTo(fx - gg / (2 * lb) + 1e-12 * Math.abs(fx));
                double[] z = x.clone();
                BlockUpdate.MATRIX.apply(f, z, g, block);
                SimpleMatrix gv = new SimpleMatrix(block.length, 1, true, gb);
                double quad =
                        gv.transpose()
                                .mult(new SimpleMatrix(f.blockBound(block)).pseudoInverse())
                                .mult(gv)
                                .get(0);
                assertThat(f.value(z)).isLessThanOrEqualTo(fx - 0.5 * quad + 1e-12 * Math.abs(fx));
                x = k % 2 == 0 ? y : z;
            }
        }
    }

    @Test
    void matrixUpdateIsTheExactBlockMinimizerOfLeastSquares() {
        Random random = new Random(3);
        double[][] a = randomMatrix(25, 12, random);
        double[] b = randomVector(25, random);
        BlockObjective f = BlockObjective.leastSquares(a, b);
        double[] x = randomVector(12, random);
        int[] block = {1, 4, 5, 9};
        BlockUpdate.MATRIX.apply(f, x, f.gradient(x), block);
        // x_b = argmin ½‖A_b x_b + A_c x_c − b‖²: (A_bᵀA_b) x_b = A_bᵀ(b − A_c x_c)
        SimpleMatrix ab = new SimpleMatrix(25, block.length);
        double[] rest = b.clone();
        for (int r = 0; r < 25; r++) {
            for (int j = 0; j < 12; j++) {
                int pos = Arrays.binarySearch(block, j);
                if (pos >= 0) {
                    ab.set(r, pos, a[r][j]);
                } else {
                    rest[r] -= a[r][j] * x[j];
                }
            }
        }
        SimpleMatrix exact =
                ab.transpose()
                        .mult(ab)
                        .solve(ab.transpose().mult(new SimpleMatrix(25, 1, true, rest)));
        for (int i = 0; i < block.length; i++) {
            assertThat(x[block[i]])
                    .isCloseTo(exact.get(i), within(F64 * (1 + Math.abs(exact.get(i)))));
        }
        assertThat(f.gradient(x)[block[0]]).isCloseTo(0, within(1e-9));
    }

    /** A random symmetric diagonally dominant Q on a forest: one random parent per non-root. */
    private static CsrMatrix forestMatrix(int n, int trees, Random random, int[] extraEdge) {
        List<int[]> entries = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        double[] diagonal = new double[n];
        for (int v = trees; v < n; v++) {
            int parent = random.nextInt(v);
            double w = random.nextGaussian();
            entries.add(new int[] {v, parent});
            entries.add(new int[] {parent, v});
            values.add(w);
            values.add(w);
            diagonal[v] += Math.abs(w);
            diagonal[parent] += Math.abs(w);
        }
        if (extraEdge != null) {
            entries.add(extraEdge);
            entries.add(new int[] {extraEdge[1], extraEdge[0]});
            values.add(0.3);
            values.add(0.3);
            diagonal[extraEdge[0]] += 0.3;
            diagonal[extraEdge[1]] += 0.3;
        }
        for (int v = 0; v < n; v++) {
            entries.add(new int[] {v, v});
            values.add(diagonal[v] + 0.5 + random.nextDouble());
        }
        return CsrMatrix.fromTriplets(
                n,
                n,
                entries.stream().mapToInt(e -> e[0]).toArray(),
                entries.stream().mapToInt(e -> e[1]).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void beliefPropagationOnAForestEqualsADenseSolve() {
        Random random = new Random(5);
        for (int trial = 0; trial < 10; trial++) {
            int n = 30 + trial;
            CsrMatrix q = forestMatrix(n, 1 + trial % 3, random, null);
            int[] block = java.util.stream.IntStream.range(0, n).toArray();
            double[] h = randomVector(n, random);
            double[] x = GaussianBeliefPropagation.solveForest(q, block, h);
            SimpleMatrix exact =
                    new SimpleMatrix(q.toDense()).solve(new SimpleMatrix(n, 1, true, h));
            for (int i = 0; i < n; i++) {
                assertThat(x[i])
                        .isCloseTo(exact.get(i), within(F64 * (1 + Math.abs(exact.get(i)))));
            }
        }
    }

    @Test
    void beliefPropagationRefusesALoopyBlock() {
        CsrMatrix q = forestMatrix(8, 1, new Random(6), null);
        // the same tree plus the edge 7-0, which closes a cycle
        CsrMatrix loopy = forestMatrix(8, 1, new Random(6), new int[] {7, 0});
        int[] block = {0, 1, 2, 3, 4, 5, 6, 7};
        double[] h = new double[8];
        assertThat(GaussianBeliefPropagation.solveForest(q, block, h)).hasSize(8);
        assertThatThrownBy(() -> GaussianBeliefPropagation.solveForest(loopy, block, h))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a forest")
                .hasMessageContaining("closes a cycle");
    }

    @Test
    void treePartitionBlocksOfTheLatticeAreSolvedExactly() {
        BlockCoordinateProblems.Lattice lattice = BlockCoordinateProblems.lattice(7, 6, 4, 1e5, 9);
        QuadraticObjective f = lattice.objective();
        double[] x = randomVector(f.dimension(), new Random(1));
        for (int[] block : lattice.trees()) {
            double[] bp = x.clone();
            BlockUpdate.BELIEF_PROPAGATION.apply(f, bp, f.gradient(bp), block);
            double[] dense = x.clone();
            BlockUpdate.MATRIX.apply(f, dense, f.gradient(dense), block);
            for (int i : block) {
                assertThat(bp[i]).isCloseTo(dense[i], within(1e-8 * (1 + Math.abs(dense[i]))));
            }
            double[] g = f.gradient(bp); // the block's gradient vanishes at its minimizer
            for (int i : block) {
                assertThat(g[i]).isCloseTo(0, within(1e-6));
            }
        }
    }

    @Test
    void leastSquaresConvergesToTheDenseSolution() {
        BlockCoordinateProblems.Regression data = BlockCoordinateProblems.leastSquares(60, 20, 4);
        SimpleMatrix a = new SimpleMatrix(data.a());
        SimpleMatrix b = new SimpleMatrix(60, 1, true, data.b());
        SimpleMatrix xStar = a.solve(b); // least-squares solution by QR
        double fStar = 0.5 * Math.pow(a.mult(xStar).minus(b).normF(), 2);
        BlockObjective f = data.leastSquares();
        for (BlockRule rule : List.of(BlockRule.GSQ, BlockRule.GS)) {
            BlockCoordinateDescent.Result r =
                    BlockCoordinateDescent.builder()
                            .setObjective(f)
                            .setSelection(
                                    BlockSelection.fixed(
                                            f,
                                            BlockPartitions.sorted(f.coordinateLipschitz(), 5),
                                            rule,
                                            0))
                            .setUpdate(BlockUpdate.MATRIX)
                            .optMaxIterations(5000)
                            .optTarget(fStar * (1 + 1e-10))
                            .build()
                            .minimize(new double[20]);
            assertThat(r.status()).as(rule.toString()).isEqualTo(SolveStatus.CONVERGED);
            for (int i = 0; i < 20; i++) {
                assertThat(r.solution()[i])
                        .isCloseTo(xStar.get(i), within(1e-3 * (1 + Math.abs(xStar.get(i)))));
            }
        }
    }

    @Test
    void logisticConvergesToTheNewtonOptimum() {
        BlockCoordinateProblems.Regression data = BlockCoordinateProblems.logistic(200, 10, 8);
        BlockObjective f = data.logistic();
        // f* from full Newton steps (all coordinates at once), to ‖∇f‖ < 1e-10
        double[] w = new double[10];
        int[] all = java.util.stream.IntStream.range(0, 10).toArray();
        for (int k = 0; k < 100 && norm(f.gradient(w)) > 1e-10; k++) {
            SimpleMatrix step =
                    new SimpleMatrix(f.hessian(w, all))
                            .solve(new SimpleMatrix(10, 1, true, f.gradient(w)));
            for (int i = 0; i < 10; i++) {
                w[i] -= step.get(i);
            }
        }
        assertThat(norm(f.gradient(w))).isLessThan(1e-10);
        double fStar = f.value(w);
        for (BlockUpdate update : List.of(BlockUpdate.NEWTON, BlockUpdate.MATRIX)) {
            BlockCoordinateDescent.Result r =
                    BlockCoordinateDescent.builder()
                            .setObjective(f)
                            .setSelection(BlockSelection.variable(f, 5, BlockRule.GS, 0))
                            .setUpdate(update)
                            .optMaxIterations(20000)
                            .optTarget(fStar + 1e-9 * Math.abs(fStar))
                            .build()
                            .minimize(new double[10]);
            assertThat(r.status()).as(update.toString()).isEqualTo(SolveStatus.CONVERGED);
        }
    }

    private static double norm(double[] v) {
        return Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
    }

    @Test
    void latticeConvergesWithExactTreeUpdates() {
        BlockCoordinateProblems.Lattice lattice =
                BlockCoordinateProblems.lattice(10, 10, 8, 1e5, 2);
        QuadraticObjective f = lattice.objective();
        int n = f.dimension();
        SimpleMatrix xStar =
                new SimpleMatrix(f.matrix().toDense())
                        .solve(new SimpleMatrix(n, 1, true, f.linearTerm()));
        double fStar = f.value(xStar.getDDRM().getData());
        BlockCoordinateDescent.Result trees =
                BlockCoordinateDescent.builder()
                        .setObjective(f)
                        .setSelection(BlockSelection.fixed(f, lattice.trees(), BlockRule.CYCLIC, 0))
                        .setUpdate(BlockUpdate.BELIEF_PROPAGATION)
                        .optMaxIterations(500)
                        .optTarget(fStar + 1e-9 * Math.abs(fStar))
                        .build()
                        .minimize(new double[n]);
        assertThat(trees.status()).isEqualTo(SolveStatus.CONVERGED);
        BlockCoordinateDescent.Result greedy =
                BlockCoordinateDescent.builder()
                        .setObjective(f)
                        .setSelection(BlockSelection.greedyForest(f, BlockRule.GS, 0))
                        .setUpdate(BlockUpdate.BELIEF_PROPAGATION)
                        .optMaxIterations(500)
                        .optTarget(fStar + 1e-9 * Math.abs(fStar))
                        .build()
                        .minimize(new double[n]);
        assertThat(greedy.status()).isEqualTo(SolveStatus.CONVERGED);
        // a forest: the greedy blocks pass GaBP's own forest check (it would throw otherwise)
        assertThat(greedy.blocks().get(0).length).isGreaterThan(n / 2);
    }

    @Test
    void rankDeficientDesignStaysFiniteAndReachesTheMinimum() {
        Random random = new Random(21);
        double[][] a = randomMatrix(30, 10, random);
        for (double[] row : a) {
            row[3] = 0; // a zero column: L_3 = 0
            row[7] = row[6]; // a repeated column: singular H_b for blocks holding 6 and 7
        }
        double[] b = randomVector(30, random);
        BlockObjective f = BlockObjective.leastSquares(a, b);
        SimpleMatrix am = new SimpleMatrix(a);
        SimpleMatrix xStar = am.pseudoInverse().mult(new SimpleMatrix(30, 1, true, b));
        double fStar =
                0.5 * Math.pow(am.mult(xStar).minus(new SimpleMatrix(30, 1, true, b)).normF(), 2);
        for (BlockRule rule : List.of(BlockRule.GSL, BlockRule.GSD, BlockRule.GSQ)) {
            for (BlockUpdate update : List.of(BlockUpdate.LIPSCHITZ, BlockUpdate.MATRIX)) {
                BlockCoordinateDescent.Result r =
                        BlockCoordinateDescent.builder()
                                .setObjective(f)
                                .setSelection(
                                        BlockSelection.fixed(
                                                f, BlockPartitions.ordered(10, 2), rule, 0))
                                .setUpdate(update)
                                .optMaxIterations(20000)
                                .optTarget(fStar * (1 + 1e-9))
                                .build()
                                .minimize(new double[10]);
                assertThat(r.status()).as(rule + " " + update).isEqualTo(SolveStatus.CONVERGED);
                assertThat(r.solution()[3]).isZero();
                assertThat(Arrays.stream(r.values()).allMatch(Double::isFinite)).isTrue();
            }
        }
    }

    @Test
    void badInputIsRefusedByName() {
        double[][] a = {{1, 2}, {3, Double.NaN}};
        assertThatThrownBy(() -> BlockObjective.leastSquares(a, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a[1][1]");
        double[][] ok = {{1, 2}, {3, 4}};
        assertThatThrownBy(
                        () ->
                                BlockObjective.leastSquares(
                                        ok, new double[] {1, Double.POSITIVE_INFINITY}))
                .hasMessageContaining("b[1]");
        assertThatThrownBy(() -> BlockObjective.logistic(ok, new double[] {1, 0}))
                .hasMessageContaining("labels[1] must be -1 or +1");
        assertThatThrownBy(() -> BlockObjective.softmax(ok, new int[] {0, 3}, 3))
                .hasMessageContaining("labels[1]");
        BlockObjective f = BlockObjective.leastSquares(ok, new double[] {1, 2});
        assertThatThrownBy(
                        () -> BlockSelection.fixed(f, new int[][] {{0, 1}, {1}}, BlockRule.GS, 0))
                .hasMessageContaining("overlap at index 1");
        assertThatThrownBy(() -> BlockSelection.fixed(f, new int[][] {{0, 2}}, BlockRule.GS, 0))
                .hasMessageContaining("index 2, outside [0, 2)");
        assertThatThrownBy(() -> BlockSelection.fixed(f, new int[][] {{0}}, BlockRule.GS, 0))
                .hasMessageContaining("no block holds index 1");
        assertThatThrownBy(() -> BlockSelection.variable(f, 3, BlockRule.GS, 0))
                .hasMessageContaining("blockSize must be in [1, 2]");
        assertThatThrownBy(() -> BlockPartitions.sorted(new double[] {1, -2}, 1))
                .hasMessageContaining("lipschitz[1] must be finite and >= 0, got -2.0");
        BlockCoordinateDescent solver =
                BlockCoordinateDescent.builder()
                        .setObjective(f)
                        .setSelection(BlockSelection.variable(f, 1, BlockRule.GS, 0))
                        .setUpdate(BlockUpdate.LIPSCHITZ)
                        .build();
        assertThatThrownBy(() -> solver.minimize(new double[] {0, Double.NaN}))
                .hasMessageContaining("x0[1] must be finite");
        assertThatThrownBy(
                        () ->
                                BlockCoordinateDescent.builder()
                                        .setObjective(f)
                                        .setSelection(
                                                BlockSelection.variable(f, 1, BlockRule.GS, 0))
                                        .setUpdate(BlockUpdate.BELIEF_PROPAGATION)
                                        .build())
                .hasMessageContaining("BELIEF_PROPAGATION needs a QuadraticObjective");
        CsrMatrix notPd =
                CsrMatrix.fromTriplets(
                        2, 2, new int[] {0, 1}, new int[] {0, 1}, new double[] {1, 0});
        assertThatThrownBy(() -> QuadraticObjective.of(notPd, new double[2]))
                .hasMessageContaining("q[1][1] must be > 0");
        assertThatThrownBy(
                        () ->
                                BlockSelection.greedyForest(
                                        QuadraticObjective.of(
                                                CsrMatrix.fromTriplets(
                                                        1,
                                                        1,
                                                        new int[] {0},
                                                        new int[] {0},
                                                        new double[] {1}),
                                                new double[1]),
                                        BlockRule.GSQ,
                                        0))
                .hasMessageContaining("greedyForest takes GS, GSL or RANDOM");
    }

    /**
     * An objective whose Lipschitz constants are negative, or whose value turns NaN away from 0.
     */
    private static BlockObjective broken(double lipschitz, boolean nanAfterMove) {
        BlockObjective base =
                BlockObjective.leastSquares(new double[][] {{1, 0}, {0, 2}}, new double[] {1, 1});
        return new BlockObjective() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public double value(double[] x) {
                return nanAfterMove && x[0] != 0 ? Double.NaN : base.value(x);
            }

            @Override
            public double[] gradient(double[] x) {
                return base.gradient(x);
            }

            @Override
            public double[][] hessian(double[] x, int[] block) {
                return base.hessian(x, block);
            }

            @Override
            public double[][] blockBound(int[] block) {
                return base.blockBound(block);
            }

            @Override
            public double[] boundTimes(double[] d) {
                return base.boundTimes(d);
            }

            @Override
            public double[] coordinateLipschitz() {
                return new double[] {lipschitz, 4};
            }
        };
    }

    @Test
    void negativeLipschitzConstantsAndNonFiniteValuesEndClearly() {
        BlockObjective negative = broken(-1, false);
        assertThatThrownBy(
                        () ->
                                BlockCoordinateDescent.builder()
                                        .setObjective(negative)
                                        .setSelection(
                                                BlockSelection.variable(
                                                        broken(1, false), 1, BlockRule.GS, 0))
                                        .setUpdate(BlockUpdate.LIPSCHITZ)
                                        .build())
                .hasMessageContaining("lipschitz[0] must be finite and >= 0, got -1.0");
        BlockObjective nan = broken(1, true);
        BlockCoordinateDescent.Result r =
                BlockCoordinateDescent.builder()
                        .setObjective(nan)
                        .setSelection(
                                BlockSelection.fixed(
                                        nan, new int[][] {{0}, {1}}, BlockRule.CYCLIC, 0))
                        .setUpdate(BlockUpdate.LIPSCHITZ)
                        .build()
                        .minimize(new double[2]);
        assertThat(r.status()).isEqualTo(SolveStatus.BREAKDOWN);
        assertThat(r.solution()).containsExactly(0, 0);
        assertThat(Arrays.stream(r.values()).allMatch(Double::isFinite)).isTrue();
    }

    @Test
    void theSameSeedGivesTheSameBlocks() {
        BlockObjective f = BlockCoordinateProblems.leastSquares(20, 30, 3).leastSquares();
        for (BlockRule rule : List.of(BlockRule.RANDOM, BlockRule.CYCLIC, BlockRule.LIPSCHITZ)) {
            String first = Arrays.deepToString(run(f, rule, 42).blocks().toArray());
            String second = Arrays.deepToString(run(f, rule, 42).blocks().toArray());
            String other = Arrays.deepToString(run(f, rule, 43).blocks().toArray());
            assertThat(second).as(rule.toString()).isEqualTo(first);
            assertThat(other).as(rule.toString()).isNotEqualTo(first);
        }
    }

    private static BlockCoordinateDescent.Result run(BlockObjective f, BlockRule rule, long seed) {
        return BlockCoordinateDescent.builder()
                .setObjective(f)
                .setSelection(BlockSelection.variable(f, 3, rule, seed))
                .setUpdate(BlockUpdate.LIPSCHITZ)
                .optMaxIterations(30)
                .build()
                .minimize(new double[30]);
    }
}

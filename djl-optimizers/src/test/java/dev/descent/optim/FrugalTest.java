package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.descent.optim.Frugal.BlockOrder;
import dev.descent.optim.Frugal.Subspace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FRUGAL: its limits (AdamW, sign-SGD), switches, seeded selections, memory and projections. */
class FrugalTest {

    private static final int SEED = 17;

    private static final double LR = 1e-2;
    private static final double WD = 0.1;

    /**
     * Steps of the projection re-derivations: three switches (gap 8) so that a basis is replaced
     * twice under running moments.
     */
    private static final int PROJECTION_STEPS = 24;

    private static final int PROJECTION_GAP = 8;

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    /** Linear 6 → 5 → 4 → 3 in float64: six parameters, three of them matrices. */
    private static Block mlp(NDManager scope) {
        SequentialBlock block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(5).build())
                        .add(Linear.builder().setUnits(4).build())
                        .add(Linear.builder().setUnits(3).build());
        block.initialize(scope, DataType.FLOAT64, new Shape(1, 6));
        return block;
    }

    private static List<Parameter> parameters(Block block) {
        List<Parameter> list = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            list.add(p.getValue());
        }
        return list;
    }

    /** Steps {@code from..to} (1-based, inclusive) with the deterministic gradients. */
    private static void run(
            NDManager scope, DescentOptimizer<?> optimizer, Block block, int from, int to) {
        List<Parameter> params = parameters(block);
        for (int t = from; t <= to; t++) {
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                double[] g = Problems.gradient(t + 3 * i, Math.toIntExact(w.size()));
                try (NDArray grad = scope.create(g, w.getShape())) {
                    optimizer.update(params.get(i).getId(), w, grad);
                }
            }
        }
    }

    private static List<double[]> snapshot(Block block) {
        return parameters(block).stream().map(p -> p.getArray().toDoubleArray()).toList();
    }

    private static void restore(Block block, List<double[]> values) {
        List<Parameter> params = parameters(block);
        for (int i = 0; i < params.size(); i++) {
            params.get(i).getArray().set(values.get(i));
        }
    }

    private static void assertIdentical(List<double[]> actual, List<double[]> expected) {
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("parameter %d", i).isEqualTo(expected.get(i));
        }
    }

    /**
     * The engine's generator (block initializers) starts from the same state whatever ran before.
     */
    @BeforeEach
    void seedEngine() {
        Engine.getInstance().setRandomSeed(SEED);
    }

    @Test
    void densityOneIsAdamWBitForBitWithinAnEpochAndAcrossSwitchesWithoutReset() {
        try (NDManager scope = manager.newSubManager()) {
            Block block = mlp(scope);
            List<double[]> start = snapshot(block);
            DescentOptimizer<?> adamW =
                    Descent.adamW().optLearningRate(LR).optWeightDecay(WD).build();
            run(scope, adamW, block, 1, 15);
            List<double[]> expected = snapshot(block);

            Supplier<Frugal.Builder> frugal =
                    () ->
                            Descent.frugal()
                                    .optLearningRate(LR)
                                    .optWeightDecay(WD)
                                    .optDensity(1)
                                    .optSplitRule(p -> true);
            for (Frugal.Builder builder :
                    List.of(
                            frugal.get().optUpdateGap(4).optResetStatistics(false),
                            frugal.get()
                                    .optSubspace(Subspace.COORDINATES)
                                    .optUpdateGap(4)
                                    .optResetStatistics(false),
                            frugal.get().optSubspace(Subspace.PERMUTATION_PROJECTION))) {
                restore(block, start);
                Frugal optimizer = builder.build();
                optimizer.bind(block);
                run(scope, optimizer, block, 1, 15);
                List<double[]> actual = snapshot(block);
                // the arithmetic per element is AdamW's (the permutation's products add exact
                // zeros), in another order for the coordinates and permutations
                assertCloseAll(actual, expected, Tolerance.F64_RTOL, Tolerance.F64_ATOL);
            }
            restore(block, start);
            Frugal block1 = frugal.get().build();
            block1.bind(block);
            run(scope, block1, block, 1, 15);
            assertIdentical(snapshot(block), expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Subspace.class)
    void densityZeroIsSignSgdForEveryVariant(Subspace subspace) {
        try (NDManager scope = manager.newSubManager()) {
            Block block = mlp(scope);
            List<double[]> expected = new ArrayList<>(snapshot(block));
            Frugal optimizer =
                    Descent.frugal()
                            .optLearningRate(LR)
                            .optWeightDecay(WD)
                            .optDensity(0)
                            .optUpdateGap(3)
                            .optSubspace(subspace)
                            .optSplitRule(p -> true)
                            .build();
            optimizer.bind(block);
            run(scope, optimizer, block, 1, 10);
            for (int i = 0; i < expected.size(); i++) {
                double[] p = expected.get(i);
                for (int t = 1; t <= 10; t++) {
                    double[] g = Problems.gradient(t + 3 * i, p.length);
                    for (int j = 0; j < p.length; j++) {
                        p[j] = p[j] * (1 - LR * WD) - LR * Math.signum(g[j]);
                    }
                }
            }
            assertCloseAll(snapshot(block), expected, Tolerance.F64_RTOL, Tolerance.F64_ATOL);
            assertThat(optimizer.stateBytes()).isZero();
        }
    }

    @Test
    void switchStartsAdamAfreshOnTheNewBlock() {
        try (NDManager scope = manager.newSubManager()) {
            Block block = mlp(scope);
            Frugal optimizer =
                    Descent.frugal()
                            .optLearningRate(LR)
                            .optDensity(1)
                            .optUpdateGap(5)
                            .optSplitRule(p -> true)
                            .build();
            optimizer.bind(block);
            run(scope, optimizer, block, 1, 5);
            List<double[]> atSwitch = snapshot(block);
            run(scope, optimizer, block, 6, 10);
            List<double[]> actual = snapshot(block);
            String id = parameters(block).get(0).getId();
            assertThat(optimizer.state(id).subspaceStep()).isEqualTo(5);

            restore(block, atSwitch);
            DescentOptimizer<?> fresh = Descent.adamW().optLearningRate(LR).build();
            run(scope, fresh, block, 6, 10);
            assertIdentical(actual, snapshot(block));
        }
    }

    @Test
    void descendingBlocksMoveOneParameterPerEpochAndHoldOnlyItsMoments() {
        try (NDManager scope = manager.newSubManager()) {
            Block block = mlp(scope);
            // 3 matrices split (default rule), round(3 / 3) = 1 active; the vectors get AdamW
            Frugal optimizer = Descent.frugal().optDensity(1.0 / 3).optUpdateGap(2).build();
            optimizer.bind(block);
            List<Parameter> params = parameters(block);
            long vectorBytes = 0;
            for (Parameter p : params) {
                if (p.getArray().getShape().dimension() == 1) {
                    vectorBytes += 2 * p.getArray().size() * 8;
                }
            }
            int[] expectedActive = {2, 1, 0, 2};
            for (int epoch = 0; epoch < expectedActive.length; epoch++) {
                run(scope, optimizer, block, 2 * epoch + 1, 2 * epoch + 2);
                Parameter active = params.get(2 * expectedActive[epoch]);
                for (int i = 0; i < params.size(); i += 2) {
                    Frugal.State s = optimizer.state(params.get(i).getId());
                    assertThat(s.m() != null)
                            .as("matrix %d active in epoch %d", i / 2, epoch)
                            .isEqualTo(params.get(i) == active);
                }
                assertThat(optimizer.stateBytes())
                        .isEqualTo(vectorBytes + 2 * active.getArray().size() * 8);
            }
        }
    }

    @Test
    void seededSelectionsAreReproducibleAndSeedsDiffer() {
        for (BlockOrder order : BlockOrder.values()) {
            assertThat(activeSets(order, 5)).isEqualTo(activeSets(order, 5));
        }
        assertThat(activeSets(BlockOrder.RANDOM, 5)).isNotEqualTo(activeSets(BlockOrder.RANDOM, 6));
        assertThat(activeSets(BlockOrder.ASCENDING, 5))
                .containsExactly(
                        Set.of(0, 1, 2, 3, 4),
                        Set.of(5, 6, 7, 8, 9),
                        Set.of(10, 11, 12, 13, 14),
                        Set.of(15, 16, 17, 18, 19),
                        Set.of(0, 1, 2, 3, 4),
                        Set.of(5, 6, 7, 8, 9));
        assertThat(activeSets(BlockOrder.DESCENDING, 5).get(0))
                .isEqualTo(Set.of(15, 16, 17, 18, 19));
        for (Subspace subspace :
                List.of(
                        Subspace.COORDINATES,
                        Subspace.RANDOM_PROJECTION,
                        Subspace.PERMUTATION_PROJECTION)) {
            assertThat(basis(subspace, 1))
                    .as("%s, same seed", subspace)
                    .isEqualTo(basis(subspace, 1));
            assertThat(basis(subspace, 1))
                    .as("%s, other seed", subspace)
                    .isNotEqualTo(basis(subspace, 2));
        }
    }

    /** The active sets of 20 parameters, 5 at a time, over 6 epochs. */
    private static List<Set<Integer>> activeSets(BlockOrder order, long seed) {
        List<Set<Integer>> sets = new ArrayList<>();
        for (int epoch = 0; epoch < 6; epoch++) {
            Set<Integer> active = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                if (Frugal.blockActive(order, seed, i, 20, 5, epoch)) {
                    active.add(i);
                }
            }
            assertThat(active).hasSize(5);
            sets.add(active);
        }
        return sets;
    }

    /** The basis chosen for a 64 × 32 float32 matrix in the first epoch. */
    private static double[] basis(Subspace subspace, long seed) {
        try (NDManager scope = manager.newSubManager()) {
            Frugal optimizer = Descent.frugal().optSubspace(subspace).optSeed(seed).build();
            NDArray w = scope.zeros(new Shape(64, 32));
            optimizer.update("w", w, scope.ones(new Shape(64, 32)));
            NDArray b = optimizer.state("w").basis();
            return b.getDataType() == DataType.INT64
                    ? Arrays.stream(b.toLongArray()).asDoubleStream().toArray()
                    : Problems.toDouble(b.toFloatArray());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Subspace.class,
            names = {"SVD_PROJECTION", "RANDOM_PROJECTION", "PERMUTATION_PROJECTION"})
    void projectionMatchesFloat64RederivationAcrossSwitches(Subspace subspace) {
        for (int[] shape : new int[][] {{6, 4}, {3, 7}}) {
            rederiveProjection(subspace, shape[0], shape[1]);
        }
    }

    private static void rederiveProjection(Subspace subspace, int rows, int cols) {
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-8;
        double scale = 0.5;
        Frugal optimizer =
                Descent.frugal()
                        .optLearningRate(LR)
                        .optWeightDecay(WD)
                        .optBeta2(b2)
                        .optDensity(0.5)
                        .optUpdateGap(PROJECTION_GAP)
                        .optStateFreeScale(scale)
                        .optSubspace(subspace)
                        .optSeed(9)
                        .build();
        boolean right = rows >= cols;
        int rank = (int) Math.rint(0.5 * (right ? cols : rows));
        int lowRows = right ? rows : rank;
        int lowCols = right ? rank : cols;
        double[] p = Problems.start(rows * cols);
        double[] m = null;
        double[] v = null;
        double[] basis = null;
        int k = 0;
        try (NDManager scope = manager.newSubManager()) {
            NDArray weight = scope.create(p.clone(), new Shape(rows, cols));
            for (int t = 1; t <= PROJECTION_STEPS; t++) {
                double[] g = Problems.gradient(t, rows * cols);
                try (NDArray grad = scope.create(g, new Shape(rows, cols))) {
                    optimizer.update("w", weight, grad);
                }
                if ((t - 1) % PROJECTION_GAP == 0) {
                    basis = optimizer.state("w").basis().toDoubleArray();
                    assertOrthonormal(basis, right ? rank : rows, right ? cols : rank, right);
                    m = new double[lowRows * lowCols];
                    v = new double[lowRows * lowCols];
                    k = 0;
                }
                k++;
                // L = G·Pᵀ (right, P is rank × cols) or Pᵀ·G (left, P is rows × rank)
                double[] low = new double[lowRows * lowCols];
                for (int i = 0; i < lowRows; i++) {
                    for (int j = 0; j < lowCols; j++) {
                        double sum = 0;
                        if (right) {
                            for (int c = 0; c < cols; c++) {
                                sum += g[i * cols + c] * basis[j * cols + c];
                            }
                        } else {
                            for (int r = 0; r < rows; r++) {
                                sum += basis[r * rank + i] * g[r * cols + j];
                            }
                        }
                        low[i * lowCols + j] = sum;
                    }
                }
                double bc1 = 1 - Math.pow(b1, k);
                double bc2 = 1 - Math.pow(b2, k);
                double[] adam = new double[low.length];
                for (int i = 0; i < low.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * low[i];
                    v[i] = b2 * v[i] + (1 - b2) * low[i] * low[i];
                    adam[i] = LR / bc1 * m[i] / (Math.sqrt(v[i] / bc2) + eps);
                }
                double[] back = up(low, basis, rows, cols, rank, right);
                double[] step = up(adam, basis, rows, cols, rank, right);
                for (int i = 0; i < p.length; i++) {
                    double residual = g[i] - back[i];
                    p[i] = p[i] * (1 - LR * WD) - step[i] - LR * scale * Math.signum(residual);
                }
                int bad =
                        Tolerance.firstMismatch(
                                weight.toDoubleArray(), p, Tolerance.F64_RTOL, Tolerance.F64_ATOL);
                if (bad >= 0) {
                    fail(
                            "%s %dx%d step %d element %d: got %s, expected %s",
                            subspace, rows, cols, t, bad, weight.toDoubleArray()[bad], p[bad]);
                }
            }
            long expectedBytes = 8L * (2 * lowRows * lowCols + basis.length);
            assertThat(optimizer.stateBytes()).isEqualTo(expectedBytes);
        }
    }

    /** X·P (right) or P·X (left), a rows × cols matrix. */
    private static double[] up(
            double[] x, double[] basis, int rows, int cols, int rank, boolean right) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int q = 0; q < rank; q++) {
                    sum +=
                            right
                                    ? x[i * rank + q] * basis[q * cols + j]
                                    : basis[i * rank + q] * x[q * cols + j];
                }
                out[i * cols + j] = sum;
            }
        }
        return out;
    }

    /** Rows (right) or columns (left) of a row-major {@code rows × cols} basis are orthonormal. */
    private static void assertOrthonormal(double[] basis, int rows, int cols, boolean byRows) {
        int count = byRows ? rows : cols;
        int length = byRows ? cols : rows;
        for (int a = 0; a < count; a++) {
            for (int b = 0; b < count; b++) {
                double dot = 0;
                for (int i = 0; i < length; i++) {
                    dot +=
                            byRows
                                    ? basis[a * cols + i] * basis[b * cols + i]
                                    : basis[i * cols + a] * basis[i * cols + b];
                }
                assertThat(Math.abs(dot - (a == b ? 1 : 0)))
                        .as("basis Gram (%d, %d)", a, b)
                        .isLessThan(Tolerance.F64_RTOL);
            }
        }
    }

    @Test
    void svdBasisSpansTheTopSingularSubspace() {
        int rows = 9;
        int cols = 6;
        double[] g = Problems.gradient(2, rows * cols);
        Frugal.MatrixView view = Frugal.MatrixView.of(new Shape(rows, cols), 0.5);
        double[] basis;
        try (NDManager scope = manager.newSubManager()) {
            basis = Frugal.singularBasis(view, scope.create(g, new Shape(rows, cols)));
        }
        // ‖G·Pᵀ‖² equals the sum of the top r squared singular values
        double captured = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < view.rank(); j++) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += g[i * cols + c] * basis[j * cols + c];
                }
                captured += sum * sum;
            }
        }
        double[] sigma =
                SingularOps_DDRM.singularValues(new DMatrixRMaj(rows, cols, true, g.clone()));
        Arrays.sort(sigma);
        double top = 0;
        for (int i = 0; i < view.rank(); i++) {
            top += sigma[sigma.length - 1 - i] * sigma[sigma.length - 1 - i];
        }
        assertThat(Math.abs(captured - top)).isLessThan(Tolerance.F64_RTOL * top);
    }

    @Test
    void stateIsTheSubspaceOnly() {
        try (NDManager scope = manager.newSubManager()) {
            SequentialBlock block = new SequentialBlock();
            for (int i = 0; i < 4; i++) {
                block.add(Linear.builder().setUnits(16).optBias(false).build());
            }
            block.initialize(scope, DataType.FLOAT32, new Shape(1, 16));
            long adamBytes = 4 * 2 * 256 * 4;
            // block: one of four 16 × 16 matrices; projection: 16 × 4 moments and a 4 × 16 basis;
            // coordinates: 64 entries with float moments and int64 indices
            long[] expected = {adamBytes / 4, 4 * 3 * 64 * 4, 4 * 64 * (4 + 4 + 8)};
            Subspace[] subspaces = {
                Subspace.BLOCK, Subspace.RANDOM_PROJECTION, Subspace.COORDINATES
            };
            for (int s = 0; s < subspaces.length; s++) {
                Frugal optimizer = Descent.frugal().optSubspace(subspaces[s]).build();
                optimizer.bind(block);
                for (Parameter p : parameters(block)) {
                    try (NDArray g = scope.ones(p.getArray().getShape())) {
                        optimizer.update(p.getId(), p.getArray(), g);
                    }
                }
                assertThat(optimizer.stateBytes()).as("%s", subspaces[s]).isEqualTo(expected[s]);
            }
        }
    }

    @Test
    void restoredBlockRunChoosesTheSameBlocksWhateverSeedItWasBuiltWith() throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            Block block = mlp(scope);
            Supplier<Frugal.Builder> builder =
                    () ->
                            Descent.frugal()
                                    .optLearningRate(LR)
                                    .optBlockOrder(BlockOrder.RANDOM)
                                    .optDensity(0.5)
                                    .optUpdateGap(3)
                                    .optSplitRule(p -> true);
            Frugal original = builder.get().optSeed(4).build();
            original.bind(block);
            run(scope, original, block, 1, 5);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveState(bytes);
            List<double[]> atSave = snapshot(block);
            run(scope, original, block, 6, 20);
            List<double[]> expected = snapshot(block);

            Frugal restored = builder.get().optSeed(99).build();
            restored.bind(block);
            restored.loadState(new ByteArrayInputStream(bytes.toByteArray()), scope);
            restore(block, atSave);
            run(scope, restored, block, 6, 20);
            assertIdentical(snapshot(block), expected);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> Descent.frugal().optDensity(-0.1).build())
                .hasMessage("density must be in [0.0, 1.0], got -0.1");
        assertThatThrownBy(() -> Descent.frugal().optDensity(1.5).build())
                .hasMessage("density must be in [0.0, 1.0], got 1.5");
        assertThatThrownBy(() -> Descent.frugal().optDensity(Double.NaN).build())
                .hasMessage("density must be in [0.0, 1.0], got NaN");
        assertThatThrownBy(() -> Descent.frugal().optUpdateGap(0).build())
                .hasMessage("updateGap must be >= 1, got 0");
        assertThatThrownBy(() -> Descent.frugal().optStateFreeScale(-1).build())
                .hasMessage("stateFreeScale must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> Descent.frugal().optSeed(-1).build())
                .hasMessage("seed must be in [0, 9007199254740992], got -1");
        assertThatThrownBy(() -> Descent.frugal().optSubspace(null).build())
                .hasMessage("subspace must not be null");
    }

    @Test
    void nonFiniteGradientAndMissingBindAreRefused() {
        try (NDManager scope = manager.newSubManager()) {
            Frugal coordinates = Descent.frugal().optSubspace(Subspace.COORDINATES).build();
            NDArray w = scope.zeros(new Shape(2, 2));
            assertThatThrownBy(
                            () ->
                                    coordinates.update(
                                            "w",
                                            w,
                                            scope.create(
                                                    new float[] {1, Float.NaN, 0, 0},
                                                    new Shape(2, 2))))
                    .isInstanceOf(NonFiniteGradientException.class)
                    .hasMessageContaining("'w'");
            Frugal blocks = Descent.frugal().build();
            assertThatThrownBy(() -> blocks.update("w", w, scope.ones(new Shape(2, 2))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(
                            "FRUGAL's block variant chooses among the parameters of a model: train"
                                    + " with Descent.trainingConfig(loss, optimizer)");
        }
    }

    private static void assertCloseAll(
            List<double[]> actual, List<double[]> expected, double rtol, double atol) {
        for (int i = 0; i < expected.size(); i++) {
            int bad = Tolerance.firstMismatch(actual.get(i), expected.get(i), rtol, atol);
            if (bad >= 0) {
                fail(
                        "parameter %d element %d: got %s, expected %s (rtol %s, atol %s)",
                        i, bad, actual.get(i)[bad], expected.get(i)[bad], rtol, atol);
            }
        }
    }
}

package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import dev.descent.optim.Descent;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DcdmNetworkTest {

    /** float64 engine arithmetic against the host CSR product. */
    private static final double F64_TOL = 1e-12;

    /** float32 evaluation of the loss at two scales of q (values O(1)). */
    private static final double F32_TOL = 1e-5;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    /** The 3×3 stencil convolution is the Dirichlet Laplacian on a non-square grid, per sample. */
    @Test
    void stencilConvolutionEqualsTheCsrProduct() {
        int nx = 7;
        int ny = 5;
        CsrMatrix a = Laplacian.dirichlet(nx, ny);
        double[] x0 = random(nx * ny, 1);
        double[] x1 = random(nx * ny, 2);
        double[] both = new double[2 * nx * ny];
        System.arraycopy(x0, 0, both, 0, x0.length);
        System.arraycopy(x1, 0, both, x0.length, x1.length);
        NDArray q = manager.create(both, new Shape(2, 1, ny, nx));
        double[] aq = DcdmLoss.applyLaplacian(q).toDoubleArray();
        double[] want0 = a.multiply(x0);
        double[] want1 = a.multiply(x1);
        for (int i = 0; i < nx * ny; i++) {
            assertThat(aq[i]).isCloseTo(want0[i], within(F64_TOL));
            assertThat(aq[nx * ny + i]).isCloseTo(want1[i], within(F64_TOL));
        }
    }

    /**
     * The loss is ‖b − A q (qᵀb/qᵀAq)‖², the same for every nonzero scale of q, and 0 when q is the
     * solution direction A⁻¹b.
     */
    @Test
    void lossIsScaleInvariantAndZeroAtTheSolution() {
        int n = 6;
        CsrMatrix a = Laplacian.dirichlet(n, n);
        double[] b = random(n * n, 3);
        double[] q = random(n * n, 4);
        DcdmLoss loss = new DcdmLoss();
        NDArray bArray = manager.create(b, new Shape(1, 1, n, n));
        double at1 =
                loss.evaluate(
                                new NDList(bArray),
                                new NDList(manager.create(q, new Shape(1, 1, n, n))))
                        .getDouble();
        double[] scaled = q.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= -37.5;
        }
        double atScaled =
                loss.evaluate(
                                new NDList(bArray),
                                new NDList(manager.create(scaled, new Shape(1, 1, n, n))))
                        .getDouble();
        assertThat(atScaled).isCloseTo(at1, within(1e-10 * at1));
        // the float64 re-derivation
        double[] aq = a.multiply(q);
        double c = ConjugateGradient.dot(q, b) / ConjugateGradient.dot(q, aq);
        double want = 0;
        for (int i = 0; i < b.length; i++) {
            want += (b[i] - c * aq[i]) * (b[i] - c * aq[i]);
        }
        assertThat(at1).isCloseTo(want, within(1e-10 * want));
        SolveResult exact = new ConjugateGradient().solve(a, b, new StoppingRule(1e-13, 1000));
        double atSolution =
                loss.evaluate(
                                new NDList(bArray),
                                new NDList(manager.create(exact.solution(), new Shape(1, 1, n, n))))
                        .getDouble();
        assertThat(atSolution).isLessThan(1e-20);
    }

    /** Fully convolutional: one network maps 32² and 64² residuals to directions of their shape. */
    @Test
    void networkKeepsTheGridAndRunsAtAnyEvenSize() {
        Engine.getInstance().setRandomSeed(5);
        Block net = DcdmNetwork.create(4);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32, 32));
        for (int n : new int[] {32, 64}) {
            try (NetworkDirection f = new NetworkDirection(net, n, n)) {
                double[] q = f.apply(random(n * n, n));
                assertThat(q).hasSize(n * n);
                for (double v : q) {
                    assertThat(Double.isFinite(v)).isTrue();
                }
            }
        }
        NDArray x = manager.arange(6f).reshape(1, 1, 2, 3);
        assertThat(DcdmNetwork.upsample(x).toFloatArray())
                .containsExactly(
                        0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 3, 3, 4, 4, 5, 5);
    }

    /** A network whose output does not have the grid's shape is refused with both shapes named. */
    @Test
    void wrongOutputShapeIsNamed() {
        Block shrinking =
                new SequentialBlock()
                        .add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .setFilters(1)
                                        .build());
        shrinking.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        try (NetworkDirection f = new NetworkDirection(shrinking, 8, 8)) {
            DeepConjugateDirection solver = new DeepConjugateDirection(f);
            double[] b = random(64, 6);
            assertThatThrownBy(
                            () ->
                                    solver.solve(
                                            Laplacian.dirichlet(8, 8),
                                            b,
                                            DeepConjugateDirection.DEFAULT_RULE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("to shape (1, 1, 6, 6)")
                    .hasMessageContaining("expected one output of shape (1, 1, 8, 8)");
            assertThatThrownBy(() -> f.apply(new double[10]))
                    .hasMessageContaining("the residual has length 10, the 8 x 8 grid has 64");
        }
        Block odd = DcdmNetwork.create(2, 0, 0);
        odd.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
        try (NetworkDirection f = new NetworkDirection(odd, 7, 7)) {
            assertThatThrownBy(() -> f.apply(random(49, 7)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fails on a residual of shape (1, 1, 7, 7)");
        }
        assertThatThrownBy(() -> new NetworkDirection(DcdmNetwork.create(2), 8, 8))
                .hasMessageContaining("not initialized");
    }

    /**
     * A short training run through DJL's Trainer with Descent's AdamW (no decay, i.e. Adam): the
     * held-out loss falls, and the same seed gives the same losses.
     */
    @Test
    void shortTrainingLowersTheLossDeterministically() {
        int n = 8;
        RitzVectors ritz = RitzVectors.lanczos(Laplacian.dirichlet(n, n), 40, 1);
        double[][] rhs =
                DcdmTrainingData.sample(ritz, 60, DcdmTrainingData.defaultLowModes(ritz.size()), 2);
        DcdmTraining.History first = train(rhs, n);
        DcdmTraining.History again = train(rhs, n);
        double[] held = first.validationLoss();
        assertThat(held[held.length - 1]).isLessThan(0.6 * held[0]);
        assertThat(again.validationLoss()).containsExactly(held);
        assertThat(again.trainingLoss()).containsExactly(first.trainingLoss());
    }

    private static DcdmTraining.History train(double[][] rhs, int n) {
        try (Model model = Model.newInstance("dcdm-test", Device.cpu(), "PyTorch")) {
            model.setBlock(DcdmNetwork.create(4, 1, 1));
            return DcdmTraining.train(
                    model,
                    rhs,
                    n,
                    n,
                    Descent.adamW().optLearningRate(1e-2).optWeightDecay(0).build(),
                    new DcdmTraining.Setup(2, 6, 9),
                    steps -> {});
        }
    }
}

package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * M-FAC as a whole-model optimizer: its steps against {@code p ← p − lr·F⁻¹g} with F built and
 * inverted explicitly in float64 (EJML), the gathering of per-parameter gradients into one step,
 * checkpoints, state bytes and bad input. The real-Trainer test (gradients cleared, loss falls) is
 * {@link #trainsATinyMlpThroughDjlsTrainerAndClearsGradients}.
 */
class MFacTest {

    /** float64 engine against the float64 explicit inverse (condition number ≲ 1e4): rounding. */
    private static final double F64_RTOL = 1e-9;

    private static final double DAMPING = 1e-2;

    private NDManager manager;
    private Block block;
    private List<Parameter> parameters;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Engine.getInstance().setRandomSeed(3);
        block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(3).build())
                        .add(Linear.builder().setUnits(2).build());
        block.initialize(manager, DataType.FLOAT64, new Shape(1, 2));
        parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.add(p.getValue());
        }
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private int dimension() {
        int d = 0;
        for (Parameter p : parameters) {
            d += (int) p.getArray().size();
        }
        return d;
    }

    private double[] flatWeights() {
        double[] all = new double[dimension()];
        int at = 0;
        for (Parameter p : parameters) {
            double[] w = p.getArray().toDoubleArray();
            System.arraycopy(w, 0, all, at, w.length);
            at += w.length;
        }
        return all;
    }

    /** Hands every parameter's slice of {@code g} to the optimizer, last parameter first. */
    private static void step(WholeModelOptimizer<?> optimizer, List<Parameter> params, double[] g) {
        int[] offsets = new int[params.size()];
        int at = 0;
        for (int i = 0; i < params.size(); i++) {
            offsets[i] = at;
            at += (int) params.get(i).getArray().size();
        }
        for (int i = params.size() - 1; i >= 0; i--) {
            NDArray w = params.get(i).getArray();
            double[] part = new double[(int) w.size()];
            System.arraycopy(g, offsets[i], part, 0, part.length);
            try (NDArray grad = w.getManager().create(part, w.getShape())) {
                optimizer.update(params.get(i).getId(), w, grad);
            }
        }
    }

    private static double[] randomGradient(int d, Random random) {
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = random.nextGaussian();
        }
        return g;
    }

    /** {@code (λI + (1/m)·Σ g gᵀ)⁻¹·x} over the window, densely. */
    private static double[] explicitInverseTimes(List<double[]> window, int m, double[] x) {
        int d = x.length;
        SimpleMatrix f = SimpleMatrix.identity(d).scale(DAMPING);
        for (double[] g : window) {
            SimpleMatrix column = new SimpleMatrix(d, 1, true, g);
            f = f.plus(column.mult(column.transpose()).scale(1.0 / m));
        }
        return f.solve(new SimpleMatrix(d, 1, true, x)).getDDRM().getData();
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(actual).as(what).containsExactly(expected, within(F64_RTOL * scale));
    }

    @Test
    void stepsEqualTheExplicitInverseFisherStepWithDecayAndMomentumAcrossTheWrapAround() {
        int m = 2;
        double lr = 0.1;
        double wd = 0.05;
        double mu = 0.5;
        MFac mfac =
                Descent.mFac()
                        .optGradients(m)
                        .optDamping(DAMPING)
                        .optLearningRate(lr)
                        .optWeightDecay(wd)
                        .optMomentum(mu)
                        .build();
        mfac.bind(block);
        int d = dimension();
        Random random = new Random(11);
        List<double[]> window = new ArrayList<>();
        double[] velocity = new double[d];
        for (int t = 0; t < 4; t++) {
            double[] p = flatWeights();
            double[] g = randomGradient(d, random);
            double[] coupled = g.clone();
            for (int i = 0; i < d; i++) {
                coupled[i] += wd * p[i];
            }
            window.add(coupled);
            if (window.size() > m) {
                window.remove(0);
            }
            double[] u = explicitInverseTimes(window, m, coupled);
            double[] expected = new double[d];
            for (int i = 0; i < d; i++) {
                velocity[i] = mu * velocity[i] + (1 - mu) * u[i];
                expected[i] = p[i] - lr * velocity[i];
            }
            step(mfac, parameters, g);
            assertClose(flatWeights(), expected, "weights after step " + (t + 1));
        }
        assertThat(mfac.state().step()).isEqualTo(4);
    }

    /**
     * Steps with gradient clipping on ({@code c = 0.5}, below many entries of the N(0, 1)
     * gradients) close every temporary: the live arrays after 5 steps (window of 2 full) are still
     * exactly those after 15.
     */
    @Test
    void stepsWithClippingLeaveNoArraysBehind() {
        MFac mfac = Descent.mFac().optGradients(2).optClipGrad(0.5f).build();
        mfac.bind(block);
        Random random = new Random(5);
        int[] live = new int[2];
        int t = 0;
        for (int round = 0; round < 2; round++) {
            for (int end = 5 * (2 * round + 1); t < end; t++) {
                step(mfac, parameters, randomGradient(dimension(), random));
            }
            live[round] = manager.getManagedArrays().size();
        }
        assertThat(live[1])
                .as("live arrays after 15 steps (%d after 5)", live[0])
                .isEqualTo(live[0]);
    }

    @Test
    void stateBytesAreTheWindowPlusTheHostMatrices() {
        int m = 4;
        MFac mfac = Descent.mFac().optGradients(m).build();
        mfac.bind(block);
        assertThat(mfac.stateBytes()).isZero();
        step(mfac, parameters, randomGradient(dimension(), new Random(1)));
        long d = dimension();
        assertThat(mfac.stateBytes()).isEqualTo(m * d * Double.BYTES + 2L * Double.BYTES * m * m);
    }

    @Test
    void aRestoredOptimizerContinuesBitIdentically() throws IOException {
        MFac original = Descent.mFac().optGradients(3).optMomentum(0.9).optBlockSize(4).build();
        original.bind(block);
        Random random = new Random(5);
        int d = dimension();
        for (int t = 0; t < 4; t++) {
            step(original, parameters, randomGradient(d, random));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.saveState(bytes);

        Engine.getInstance().setRandomSeed(3);
        Block copy =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(3).build())
                        .add(Linear.builder().setUnits(2).build());
        copy.initialize(manager, DataType.FLOAT64, new Shape(1, 2));
        List<Parameter> copyParameters = new ArrayList<>();
        ai.djl.nn.ParameterList pairs = copy.getParameters();
        for (int i = 0; i < pairs.size(); i++) {
            Parameter p = pairs.get(i).getValue();
            p.getArray().set(parameters.get(i).getArray().toDoubleArray());
            copyParameters.add(p);
        }
        MFac restored = Descent.mFac().optGradients(3).optMomentum(0.9).optBlockSize(4).build();
        restored.bind(copy);
        restored.loadState(new ByteArrayInputStream(bytes.toByteArray()), manager);
        for (int t = 0; t < 3; t++) {
            double[] g = randomGradient(d, random);
            step(original, parameters, g);
            step(restored, copyParameters, g);
            for (int i = 0; i < parameters.size(); i++) {
                assertThat(copyParameters.get(i).getArray().toDoubleArray())
                        .as("parameter %d after %d steps past the restore", i, t + 1)
                        .containsExactly(parameters.get(i).getArray().toDoubleArray());
            }
        }
    }

    @Test
    void aNonFiniteGradientMovesNoWeightAndNamesTheParameter() {
        MFac throwing = Descent.mFac().optGradients(2).build();
        throwing.bind(block);
        double[] before = flatWeights();
        double[] g = randomGradient(dimension(), new Random(2));
        g[1] = Double.NaN; // in the first parameter
        assertThatThrownBy(() -> step(throwing, parameters, g))
                .isInstanceOf(NonFiniteGradientException.class)
                .hasMessageContaining("parameter '" + block.getParameters().get(0).getKey() + "'")
                .hasMessageContaining("at step 1")
                .hasMessageContaining("no weight moved");
        assertThat(flatWeights()).containsExactly(before);
        assertThat(throwing.state()).isNull();

        MFac skipping =
                Descent.mFac()
                        .optGradients(2)
                        .optNonFiniteGradientPolicy(NonFiniteGradientPolicy.SKIP)
                        .build();
        skipping.bind(block);
        step(skipping, parameters, g);
        assertThat(flatWeights()).containsExactly(before);
        step(skipping, parameters, randomGradient(dimension(), new Random(3)));
        assertThat(skipping.state().step()).isEqualTo(1);
    }

    @Test
    void misuseIsReportedClearly() {
        NDArray w = parameters.get(0).getArray();
        String id = parameters.get(0).getId();
        MFac unbound = Descent.mFac().build();
        assertThatThrownBy(() -> unbound.update(id, w, w.zerosLike()))
                .hasMessageContaining("MFac needs the whole model's gradient: train with")
                .hasMessageContaining("Descent.trainingConfig(loss, optimizer)");
        MFac mfac = Descent.mFac().build();
        mfac.bind(block);
        assertThatThrownBy(() -> mfac.update("no-such-id", w, w.zerosLike()))
                .hasMessageContaining("parameter id 'no-such-id' is not in the bound block");
        mfac.update(id, w, w.zerosLike());
        assertThatThrownBy(() -> mfac.update(id, w, w.zerosLike()))
                .hasMessageContaining("arrived twice before")
                .hasMessageContaining(block.getParameters().get(3).getKey());
    }

    @Test
    void invalidHyperParametersAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> Descent.mFac().optGradients(0).build())
                .hasMessage("gradients (m) must be >= 1, got 0");
        assertThatThrownBy(() -> Descent.mFac().optDamping(0).build())
                .hasMessage("damping must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> Descent.mFac().optDamping(-1e-5).build())
                .hasMessage("damping must be finite and > 0, got -1.0E-5");
        assertThatThrownBy(() -> Descent.mFac().optMomentum(1).build())
                .hasMessage("momentum must be in [0.0, 1.0), got 1.0");
        assertThatThrownBy(() -> Descent.mFac().optBlockSize(-1).build())
                .hasMessageContaining("blockSize must be >= 1")
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> Descent.mFac().optLearningRate(-1).build())
                .hasMessage("learningRate must be finite and >= 0, got -1.0");
    }

    @Test
    void trainsATinyMlpThroughDjlsTrainerAndClearsGradients() {
        MFac mfac = Descent.mFac().optGradients(16).optDamping(1e-3).optLearningRate(1e-2).build();
        try (TinyMlp mlp = new TinyMlp(mfac)) {
            mfac.bind(mlp.model.getBlock());
            float first = mlp.step();
            for (int i = 1; i < 60; i++) {
                mlp.step();
                for (Pair<String, Parameter> p : mlp.model.getBlock().getParameters()) {
                    try (NDArray g = p.getValue().getArray().getGradient();
                            NDArray abs = g.abs();
                            NDArray max = abs.max()) {
                        assertThat(max.getFloat())
                                .as("|grad| of %s after step", p.getKey())
                                .isZero();
                    }
                }
            }
            assertThat(mfac.state().step()).isEqualTo(60);
            assertThat(mlp.loss())
                    .as("loss after 60 steps, first %s", first)
                    .isLessThan(0.7f * first);
        }
    }
}

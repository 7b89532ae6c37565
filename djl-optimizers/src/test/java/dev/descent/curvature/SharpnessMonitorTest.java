package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharpnessMonitorTest {

    /**
     * Lanczos run for as many steps as the dimension (32) in float64 spans the whole space: its
     * largest Ritz value is λ_max up to rounding.
     */
    private static final double LANCZOS_RTOL = 1e-8;

    /**
     * Power iteration stopped at a relative change of 1e-12 (5,000 iterations at most): the
     * Rayleigh quotient's error shrinks like (λ₂/λ₁)^{2k}, far below this.
     */
    private static final double POWER_RTOL = 1e-6;

    /** Hutchinson with 400 Rademacher probes: within 4 standard errors of the exact trace. */
    private static final double TRACE_STANDARD_ERRORS = 4;

    private static final int IN = 3;
    private static final int ROWS = 12;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** 3 → 5 tanh → 2, float64, 32 parameters, seeded. */
    private Block mlp() {
        return mlp(DataType.FLOAT64);
    }

    private Block mlp(DataType type) {
        Block block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(5).build())
                        .add(Activation::tanh)
                        .add(Linear.builder().setUnits(2).build());
        Engine.getInstance().setRandomSeed(11);
        block.initialize(manager, type, new Shape(ROWS, IN));
        return block;
    }

    private NDList inputs() {
        return inputs(DataType.FLOAT64);
    }

    private NDList inputs(DataType type) {
        Engine.getInstance().setRandomSeed(12);
        return new NDList(manager.randomNormal(0, 1, new Shape(ROWS, IN), type));
    }

    private NDList labels() {
        return labels(DataType.FLOAT64);
    }

    private NDList labels(DataType type) {
        Engine.getInstance().setRandomSeed(13);
        return new NDList(manager.randomNormal(0, 1, new Shape(ROWS, 2), type));
    }

    /** The Hessian by products with the unit vectors, symmetrized; its eigenvalues by EJML. */
    private static double[] denseEigenvalues(HessianVectorProduct h, NDManager manager) {
        int d = (int) h.dimension();
        DMatrixRMaj hessian = new DMatrixRMaj(d, d);
        for (int j = 0; j < d; j++) {
            double[] e = new double[d];
            e[j] = 1;
            double[] column = h.apply(manager.create(e)).toDoubleArray();
            for (int i = 0; i < d; i++) {
                hessian.set(i, j, column[i]);
            }
        }
        DMatrixRMaj symmetric = new DMatrixRMaj(d, d);
        org.ejml.dense.row.CommonOps_DDRM.transpose(hessian, symmetric);
        org.ejml.dense.row.CommonOps_DDRM.add(0.5, hessian, 0.5, symmetric, symmetric);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        assertThat(eig.decompose(symmetric)).isTrue();
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = eig.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(values);
        return values;
    }

    @Test
    void lambdaMaxAndTraceMatchTheDenseHessian() {
        Block block = mlp();
        NDList x = inputs();
        NDList y = labels();
        Loss loss = new SafeL2Loss();
        double[] eigenvalues;
        try (HessianVectorProduct h = HessianVectorProduct.ofParameters(block, loss, x, y)) {
            eigenvalues = denseEigenvalues(h, manager);
        }
        double max = eigenvalues[eigenvalues.length - 1];
        double trace = java.util.Arrays.stream(eigenvalues).sum();
        // Power iteration finds the largest magnitude: the comparison below needs λ_max to be it.
        assertThat(max).isGreaterThan(Math.abs(eigenvalues[0]));

        SharpnessMonitor lanczos =
                SharpnessMonitor.builder()
                        .setBatch(x, y, loss)
                        .setLearningRate(0.1)
                        .optLanczos(32)
                        .optTrace(400, 0)
                        .optSeed(3)
                        .build();
        SharpnessMonitor.Sharpness r = lanczos.measure(block, 0);
        assertThat(r.lambdaMax()).isCloseTo(max, within(LANCZOS_RTOL * Math.abs(max)));
        assertThat(r.traceSamples()).isEqualTo(400);
        assertThat(r.trace())
                .isCloseTo(trace, within(TRACE_STANDARD_ERRORS * r.traceStandardError()));
        assertThat(r.learningRate()).isCloseTo(0.1, within(1e-7)); // stored as float by Tracker
        assertThat(r.threshold()).isCloseTo(20, within(1e-5));

        SharpnessMonitor power =
                SharpnessMonitor.builder()
                        .setBatch(x, y, loss)
                        .setLearningRate(0.1)
                        .optPower(5000, 1e-12)
                        .optSeed(3)
                        .build();
        assertThat(power.measure(block, 0).lambdaMax())
                .isCloseTo(max, within(POWER_RTOL * Math.abs(max)));
    }

    @Test
    void measuresEveryIntervalBatchesUnderEasyTrain() throws Exception {
        // float32: DJL's Model and data pipeline expect it
        Block block = mlp(DataType.FLOAT32);
        NDList x = inputs(DataType.FLOAT32);
        NDList y = labels(DataType.FLOAT32);
        SharpnessMonitor monitor =
                SharpnessMonitor.builder()
                        .setBatch(x, y, new SafeL2Loss())
                        .setLearningRate(Tracker.fixed(0.05f))
                        .optInterval(5)
                        .optLanczos(10)
                        .optTrace(4, 0)
                        .build();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(new SafeL2Loss())
                        .optOptimizer(
                                Optimizer.sgd()
                                        .setLearningRateTracker(Tracker.fixed(0.05f))
                                        .build())
                        .optDevices(new Device[] {Device.cpu()})
                        .addTrainingListeners(monitor);
        ArrayDataset data =
                new ArrayDataset.Builder()
                        .setData(x.head())
                        .optLabels(y.head())
                        .setSampling(4, false)
                        .build();
        try (Model model = Model.newInstance("sharpness-test", Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                // 12 rows in batches of 4: 3 batches per epoch, 4 epochs, 12 batches
                EasyTrain.fit(trainer, 4, data, null);
            }
        }
        assertThat(monitor.batches()).isEqualTo(12);
        assertThat(monitor.records())
                .extracting(SharpnessMonitor.Sharpness::step)
                .containsExactly(0L, 5L, 10L);
        List<SharpnessMonitor.Sharpness> records = monitor.records();
        // the weights moved between records: the monitoring loss went down
        assertThat(records.get(2).loss()).isLessThan(records.get(0).loss());
        for (SharpnessMonitor.Sharpness r : records) {
            assertThat(r.threshold()).isCloseTo(40, within(1e-4));
            assertThat(r.lambdaMax()).isFinite().isPositive();
            assertThat(r.traceSamples()).isEqualTo(4);
        }
    }

    @Test
    void csvHasTheHeaderAndOneRowPerRecord() throws IOException {
        Block block = mlp();
        SharpnessMonitor monitor =
                SharpnessMonitor.builder()
                        .setBatch(inputs(), labels(), new SafeL2Loss())
                        .setLearningRate(0.5)
                        .optLanczos(8)
                        .optTrace(3, 0)
                        .build();
        monitor.measure(block, 0);
        monitor.measure(block, 7);
        StringWriter out = new StringWriter();
        SharpnessMonitor.writeCsv(monitor.records(), out);
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo(SharpnessMonitor.CSV_HEADER);
        assertThat(lines[2]).startsWith("7,").contains(",4.00000000,"); // threshold 2/0.5
        assertThat(lines[1].split(",")).hasSize(SharpnessMonitor.CSV_HEADER.split(",").length);
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        NDList x = inputs();
        NDList y = labels();
        assertThatThrownBy(() -> SharpnessMonitor.builder().setLearningRate(0.1).build())
                .hasMessage(
                        "the monitoring batch is required: call setBatch(inputs, labels, loss)");
        assertThatThrownBy(
                        () -> SharpnessMonitor.builder().setBatch(x, y, new SafeL2Loss()).build())
                .hasMessage("the learning rate is required: call setLearningRate");
        assertThatThrownBy(() -> SharpnessMonitor.builder().setLearningRate(0))
                .hasMessage("learning rate must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> SharpnessMonitor.builder().setLearningRate(Double.NaN))
                .hasMessage("learning rate must be finite and > 0, got NaN");
        SharpnessMonitor.Builder valid =
                SharpnessMonitor.builder().setBatch(x, y, new SafeL2Loss()).setLearningRate(0.1);
        assertThatThrownBy(() -> valid.optInterval(0).build())
                .hasMessage("interval must be >= 1, got 0");
        valid.optInterval(1);
        assertThatThrownBy(() -> valid.optLanczos(0).build())
                .hasMessage("lanczosSteps must be >= 1, got 0");
        valid.optLanczos(20);
        assertThatThrownBy(() -> valid.optPower(0, 1e-3).build())
                .hasMessage("power maxIterations must be >= 1, got 0");
        assertThatThrownBy(() -> valid.optPower(10, -1).build())
                .hasMessage("power tolerance must be >= 0, got -1.0");
        valid.optPower(100, 1e-3).optLanczos(20);
        assertThatThrownBy(() -> valid.optTrace(1, 0).build())
                .hasMessage("trace maxSamples must be >= 2, got 1");
        assertThatThrownBy(() -> valid.optTrace(10, Double.NaN).build())
                .hasMessage("trace relativeTolerance must be >= 0, got NaN");
        SharpnessMonitor monitor = valid.optTrace(10, 0).build();
        Block block = mlp();
        assertThatThrownBy(() -> monitor.measure(block, -1))
                .hasMessage("step must be >= 0, got -1");
        SharpnessMonitor decaying =
                SharpnessMonitor.builder()
                        .setBatch(x, y, new SafeL2Loss())
                        .setLearningRate(n -> 0f)
                        .build();
        assertThatThrownBy(() -> decaying.measure(block, 4))
                .hasMessage("learning rate at update 5 must be finite and > 0, got 0.0");
    }
}

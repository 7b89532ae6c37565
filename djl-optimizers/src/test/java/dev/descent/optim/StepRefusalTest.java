package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batch with NaN gradients in the middle of an epoch, through {@code EasyTrain.fit}: the bound
 * optimizer (per-parameter AdaBelief, whole-model M-FAC) refuses the whole step, under THROW and
 * SKIP alike — no weight moves, the state and step counts stay, every gradient is cleared — and
 * training goes on with the next batches.
 *
 * <p>The model is {@code Linear(8, no bias) → sqrt(|·|) → Linear(8) → relu → Linear(3)}. The bad
 * batch has all-zero features: the first layer's output is exactly 0, where the square root's
 * derivative is infinite, so only the first weight's gradient is NaN ({@code ∞·0}) while the
 * forward pass and every other gradient stay finite — the case where a per-parameter check lets the
 * parameters DJL happens to update first move.
 */
class StepRefusalTest {

    private static final int BATCH = 16;
    private static final int BATCHES = 8;
    private static final int FEATURES = 4;

    /** The 1-based batch whose gradients are NaN. */
    private static final int BAD = 4;

    private static final String FIRST_WEIGHT = "01Linear_weight";

    /** An optimizer under test, built for a policy. */
    record Case(String name, Function<NonFiniteGradientPolicy, Optimizer> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "adabelief",
                        policy ->
                                Descent.adaBelief()
                                        .optLearningRate(1e-2)
                                        .optNonFiniteGradientPolicy(policy)
                                        .build()),
                new Case(
                        "mfac",
                        policy ->
                                Descent.mFac()
                                        .optGradients(8)
                                        .optDamping(1e-3)
                                        .optLearningRate(1e-3)
                                        .optNonFiniteGradientPolicy(policy)
                                        .build()));
    }

    private static Block model() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).optBias(false).build())
                .add(x -> new NDList(x.singletonOrThrow().abs().sqrt()))
                .add(Linear.builder().setUnits(8).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(3).build());
    }

    /** Seeded features and labels; the rows of batch {@code bad} (1-based, 0 for none) are zero. */
    private static ArrayDataset data(NDManager manager, int bad) {
        NDArray x = manager.randomNormal(new Shape((long) BATCH * BATCHES, FEATURES));
        if (bad > 0) {
            x.set(new NDIndex("{}:{}", (bad - 1) * BATCH, bad * BATCH), 0f);
        }
        NDArray y = x.get(":, :3").argMax(1).toType(DataType.FLOAT32, false);
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(BATCH, false).build();
    }

    /** What the model and optimizer hold at each batch, after backward and before the step. */
    static final class Recorder extends TrainingListenerAdapter {
        final Optimizer optimizer;
        final List<Map<String, byte[]>> weights = new ArrayList<>();
        final List<List<byte[]>> states = new ArrayList<>();
        final List<Map<String, Long>> steps = new ArrayList<>();
        final List<Boolean> finiteGradients = new ArrayList<>();

        Recorder(Optimizer optimizer) {
            this.optimizer = optimizer;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            Block block = trainer.getModel().getBlock();
            weights.add(weights(block));
            states.add(stateBuffers(optimizer, block));
            steps.add(stepCounts(optimizer, block));
            boolean finite = true;
            for (Pair<String, Parameter> p : block.getParameters()) {
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    finite &= DescentOptimizer.isFinite(g);
                }
            }
            finiteGradients.add(finite);
        }
    }

    private static Map<String, byte[]> weights(Block block) {
        Map<String, byte[]> w = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            w.put(p.getKey(), p.getValue().getArray().toByteArray());
        }
        return w;
    }

    private static Map<String, Long> stepCounts(Optimizer optimizer, Block block) {
        Map<String, Long> steps = new LinkedHashMap<>();
        if (optimizer instanceof WholeModelOptimizer<?> whole) {
            steps.put("model", whole.state() == null ? 0 : whole.state().step());
        } else {
            DescentOptimizer<?> each = (DescentOptimizer<?>) optimizer;
            for (Pair<String, Parameter> p : block.getParameters()) {
                ParameterState s = each.state(p.getValue().getId());
                steps.put(p.getKey(), s == null ? 0 : s.step());
            }
        }
        return steps;
    }

    private static List<byte[]> stateBuffers(Optimizer optimizer, Block block) {
        List<ParameterState> states = new ArrayList<>();
        if (optimizer instanceof WholeModelOptimizer<?> whole) {
            states.add(whole.state());
        } else {
            for (Pair<String, Parameter> p : block.getParameters()) {
                states.add(((DescentOptimizer<?>) optimizer).state(p.getValue().getId()));
            }
        }
        List<byte[]> bytes = new ArrayList<>();
        for (ParameterState s : states) {
            if (s != null) {
                s.buffers().forEach(b -> bytes.add(b.toByteArray()));
            }
        }
        return bytes;
    }

    private static void assertGradientsZero(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            try (NDArray g = p.getValue().getArray().getGradient();
                    NDArray abs = g.abs();
                    NDArray max = abs.max()) {
                assertThat(max.getFloat()).as("|grad| of %s", p.getKey()).isZero();
            }
        }
    }

    private static void assertSameWeights(
            Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as("weight %s", k).isEqualTo(v));
    }

    /** The one-line configuration: the optimizer bound to the model, and the test's listeners. */
    private static DefaultTrainingConfig bound(Optimizer optimizer, TrainingListener... listeners) {
        return Descent.trainingConfig(Loss.softmaxCrossEntropyLoss(), optimizer)
                .addTrainingListeners(listeners);
    }

    private static Trainer trainer(Model model, DefaultTrainingConfig config) {
        Engine.getInstance().setRandomSeed(11);
        model.setBlock(model());
        Trainer trainer = model.newTrainer(config.optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(BATCH, FEATURES));
        return trainer;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void throwRefusesTheWholeStepClearsTheGradientsAndTrainingGoesOn(Case c) throws Exception {
        Optimizer optimizer = c.build().apply(NonFiniteGradientPolicy.THROW);
        Recorder recorder = new Recorder(optimizer);
        try (Model model = Model.newInstance("nan-batch", Device.cpu(), "PyTorch");
                Trainer trainer = trainer(model, bound(optimizer, recorder))) {
            Block block = model.getBlock();
            ArrayDataset bad = data(trainer.getManager(), BAD);
            assertThatThrownBy(() -> EasyTrain.fit(trainer, 1, bad, null))
                    .isInstanceOf(NonFiniteGradientException.class)
                    .hasMessageContaining("parameter '" + FIRST_WEIGHT + "'")
                    .hasMessageContaining("at step " + BAD)
                    .hasMessageContaining("moved");
            assertThat(recorder.weights).hasSize(BAD);
            assertThat(recorder.finiteGradients.get(BAD - 1)).isFalse();
            assertSameWeights(weights(block), recorder.weights.get(BAD - 1));
            assertThat(stateBuffers(optimizer, block))
                    .containsExactlyElementsOf(recorder.states.get(BAD - 1));
            assertThat(stepCounts(optimizer, block))
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(BAD - 1));
            assertGradientsZero(block);

            EasyTrain.fit(trainer, 1, data(trainer.getManager(), 0), null);
            assertThat(recorder.weights).hasSize(BAD + BATCHES);
            assertThat(recorder.finiteGradients.subList(BAD, BAD + BATCHES))
                    .as("the gradients of the next fit's batches")
                    .containsOnly(true);
            assertThat(stepCounts(optimizer, block))
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(BAD - 1 + BATCHES));
            assertThat(weights(block).get(FIRST_WEIGHT))
                    .isNotEqualTo(recorder.weights.get(BAD - 1).get(FIRST_WEIGHT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void skipLeavesTheStepOutAndFinishesTheEpoch(Case c) throws Exception {
        Optimizer optimizer = c.build().apply(NonFiniteGradientPolicy.SKIP);
        Recorder recorder = new Recorder(optimizer);
        try (Model model = Model.newInstance("nan-batch", Device.cpu(), "PyTorch");
                Trainer trainer = trainer(model, bound(optimizer, recorder))) {
            Block block = model.getBlock();
            EasyTrain.fit(trainer, 1, data(trainer.getManager(), BAD), null);
            assertThat(recorder.weights).hasSize(BATCHES);
            // index BAD - 1: before the bad step; index BAD: after it, before the next one
            assertSameWeights(recorder.weights.get(BAD), recorder.weights.get(BAD - 1));
            assertThat(recorder.states.get(BAD))
                    .containsExactlyElementsOf(recorder.states.get(BAD - 1));
            assertThat(recorder.steps.get(BAD)).isEqualTo(recorder.steps.get(BAD - 1));
            assertThat(recorder.steps.get(BAD - 1))
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(BAD - 1));
            assertThat(recorder.finiteGradients.get(BAD - 1)).isFalse();
            assertThat(recorder.finiteGradients.get(BAD)).as("next batch's gradients").isTrue();
            assertThat(recorder.weights.get(BAD + 1).get(FIRST_WEIGHT))
                    .as("the step after the bad one trains")
                    .isNotEqualTo(recorder.weights.get(BAD).get(FIRST_WEIGHT));
            assertThat(stepCounts(optimizer, block))
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(BATCHES - 1));
            assertGradientsZero(block);
        }
    }

    /**
     * The same step handed over by hand, the NaN parameter last: a per-parameter check would move
     * the four parameters before it; the bound check refuses at the first update.
     */
    @Test
    void theBoundCheckRefusesAtTheFirstUpdateWhateverTheOrder() {
        AdaBelief optimizer = Descent.adaBelief().optLearningRate(1e-2).build();
        try (Model model = Model.newInstance("nan-batch", Device.cpu(), "PyTorch");
                Trainer trainer = trainer(model, bound(optimizer))) {
            Block block = model.getBlock();
            NDManager manager = trainer.getManager();
            NDArray x = manager.zeros(new Shape(BATCH, FEATURES));
            NDArray y = manager.zeros(new Shape(BATCH));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                collector.backward(
                        trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)));
            }
            Map<String, byte[]> before = weights(block);
            List<Pair<String, Parameter>> reversed = new ArrayList<>();
            block.getParameters().forEach(p -> reversed.add(0, p));
            Parameter last = reversed.get(0).getValue();
            try (NDArray g = last.getArray().getGradient();
                    NDArray handed = g.duplicate()) {
                assertThatThrownBy(() -> optimizer.update(last.getId(), last.getArray(), handed))
                        .isInstanceOf(NonFiniteGradientException.class)
                        .hasMessageContaining("parameter '" + FIRST_WEIGHT + "'")
                        .hasMessageContaining("no parameter moved");
            }
            assertSameWeights(weights(block), before);
            assertGradientsZero(block);
            for (Pair<String, Parameter> p : block.getParameters()) {
                assertThat(optimizer.state(p.getValue().getId())).as(p.getKey()).isNull();
            }
        }
    }

    @Test
    void unboundOptimizerRefusesTheParameterAloneAndSaysToBind() {
        AdaBelief optimizer = Descent.adaBelief().optLearningRate(1e-2).build();
        try (Model model = Model.newInstance("nan-batch", Device.cpu(), "PyTorch");
                Trainer trainer =
                        trainer(
                                model,
                                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                        .optOptimizer(optimizer))) {
            Block block = model.getBlock();
            ArrayDataset bad = data(trainer.getManager(), 1);
            Map<String, byte[]> before = weights(block);
            Parameter first = block.getParameters().get(0).getValue();
            assertThatThrownBy(() -> EasyTrain.fit(trainer, 1, bad, null))
                    .isInstanceOf(NonFiniteGradientException.class)
                    .hasMessageContaining("parameter '" + first.getId() + "'")
                    .hasMessageContaining("bind the optimizer to the model");
            assertThat(first.getArray().toByteArray()).isEqualTo(before.get(FIRST_WEIGHT));
            assertThat(optimizer.state(first.getId())).isNull();
            try (NDArray g = first.getArray().getGradient();
                    NDArray abs = g.abs();
                    NDArray max = abs.max()) {
                assertThat(max.getFloat()).as("the refused parameter's gradient").isZero();
            }
        }
    }
}

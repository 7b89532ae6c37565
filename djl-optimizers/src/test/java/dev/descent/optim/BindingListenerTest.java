package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * "Change one line" for the optimizers that need the model: {@code Descent.trainingConfig(loss,
 * optimizer)} (the {@link BindingListener}) binds it when the trainer is created, through {@code
 * EasyTrain.fit} with no {@code bind} call; without it, Muon and name rules say how to fix it.
 */
class BindingListenerTest {

    private static final int BATCH = 16;
    private static final int BATCHES = 6;

    /** Linear 4 → 8 → 8 → 3: three matrices, the last the output layer. */
    private static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(8).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(3).build());
    }

    private static ArrayDataset data(NDManager manager) {
        NDArray x = manager.randomNormal(new Shape((long) BATCH * BATCHES, 4));
        NDArray y = x.get(":, :3").argMax(1).toType(DataType.FLOAT32, false);
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(BATCH, false).build();
    }

    /** Trains one epoch through EasyTrain and returns the block's parameters by name. */
    private static Map<String, Parameter> fit(Model model, DefaultTrainingConfig config)
            throws Exception {
        Engine.getInstance().setRandomSeed(4);
        model.setBlock(mlp());
        try (Trainer trainer = model.newTrainer(config.optDevices(new Device[] {Device.cpu()}))) {
            trainer.initialize(new Shape(BATCH, 4));
            EasyTrain.fit(trainer, 1, data(trainer.getManager()), null);
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        return byName;
    }

    private static Loss loss() {
        return Loss.softmaxCrossEntropyLoss();
    }

    @Test
    void muonFindsItsOutputLayerWithoutABindCall() throws Exception {
        Muon muon = Descent.muon().build();
        try (Model model = Model.newInstance("muon", Device.cpu(), "PyTorch")) {
            Map<String, Parameter> p = fit(model, Descent.trainingConfig(loss(), muon));
            assertThat(muon.state(p.get("01Linear_weight").getId()))
                    .isInstanceOf(Muon.MatrixState.class);
            assertThat(muon.state(p.get("03Linear_weight").getId()))
                    .isInstanceOf(Muon.MatrixState.class);
            assertThat(muon.state(p.get("05Linear_weight").getId()))
                    .as("the output layer")
                    .isInstanceOf(Muon.AdamState.class);
            assertThat(muon.state(p.get("05Linear_bias").getId()))
                    .isInstanceOf(Muon.AdamState.class);
            assertThat(muon.state(p.get("01Linear_weight").getId()).step()).isEqualTo(BATCHES);
        }
    }

    @Test
    void mFacGathersTheWholeModelWithoutABindCall() throws Exception {
        MFac mfac = Descent.mFac().optGradients(4).optDamping(1e-3).optLearningRate(1e-3).build();
        try (Model model = Model.newInstance("mfac", Device.cpu(), "PyTorch")) {
            Map<String, Parameter> p = fit(model, Descent.trainingConfig(loss(), mfac));
            assertThat(mfac.state().step()).isEqualTo(BATCHES);
            long d = p.values().stream().mapToLong(q -> q.getArray().size()).sum();
            assertThat(mfac.dimension()).isEqualTo(d);
        }
    }

    @Test
    void frugalBlocksChooseAmongTheModelsMatricesWithoutABindCall() throws Exception {
        // density 1/3 of three matrices: one active block, the last (descending) in the first epoch
        Frugal frugal = Descent.frugal().optDensity(1.0 / 3).build();
        try (Model model = Model.newInstance("frugal", Device.cpu(), "PyTorch")) {
            Map<String, Parameter> p = fit(model, Descent.trainingConfig(loss(), frugal));
            assertThat(frugal.state(p.get("05Linear_weight").getId()).m()).isNotNull();
            assertThat(frugal.state(p.get("03Linear_weight").getId()).m()).isNull();
            assertThat(frugal.state(p.get("01Linear_weight").getId()).m()).isNull();
            assertThat(frugal.state(p.get("01Linear_weight").getId()).step()).isEqualTo(BATCHES);
        }
    }

    @Test
    void muonWithoutTheModelSaysHowToBindIt() {
        Muon muon = Descent.muon().build();
        try (Model model = Model.newInstance("muon", Device.cpu(), "PyTorch")) {
            DefaultTrainingConfig plain = new DefaultTrainingConfig(loss()).optOptimizer(muon);
            assertThatThrownBy(() -> fit(model, plain))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Muon cannot tell whether parameter")
                    .hasMessageContaining("Descent.trainingConfig(loss, muon)")
                    .hasMessageContaining("optMatrixFilter");
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = manager.ones(new Shape(3, 4));
            NDArray b = manager.ones(new Shape(4));
            Muon unbound = Descent.muon().build();
            try (NDArray g = b.onesLike()) {
                unbound.update("b", b, g); // a vector takes AdamW, bound or not
            }
            try (NDArray g = w.onesLike()) {
                assertThatThrownBy(() -> unbound.update("w", w, g))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("'w' (3, 4)");
            }
            assertThat(unbound.state("w")).isNull();
            assertThat(w.toFloatArray()).containsOnly(1f);
        }
    }

    @Test
    void aNameRuleWithoutTheModelSaysHowToBindIt() {
        AdaBelief optimizer =
                Descent.adaBelief()
                        .optParameterRule(ParameterRule.nameMatches("bias").weightDecay(0))
                        .build();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray w = manager.ones(new Shape(4));
            try (NDArray g = w.onesLike()) {
                assertThatThrownBy(() -> optimizer.update("w", w, g))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("ParameterRule.nameMatches(\"bias\")")
                        .hasMessageContaining("parameter 'w' has none")
                        .hasMessageContaining("Descent.trainingConfig(loss, optimizer)");
            }
            assertThat(w.toFloatArray()).containsOnly(1f);
            assertThat(optimizer.state("w")).isNull();
        }
    }

    @Test
    void bindingWorksBeforeTheBlockIsInitialized() {
        Block block = mlp();
        Muon muon = Descent.muon().build().bind(block);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            Pair<String, Parameter> last = block.getParameters().get(4);
            assertThat(last.getKey()).isEqualTo("05Linear_weight");
            ParameterInfo info =
                    new ParameterInfo(
                            last.getValue().getId(),
                            last.getKey(),
                            last.getValue().getArray().getShape());
            assertThat(muon.isHiddenMatrix(info)).isFalse();
        }
    }

    @Test
    void onlyDescentOptimizersGetTheListener() {
        Optimizer djl = Optimizer.adam().build();
        assertThatThrownBy(() -> BindingListener.of(djl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a BindableOptimizer");
        assertThat(Descent.trainingConfig(loss(), djl).getTrainingListeners()).isEmpty();
        assertThat(
                        Descent.trainingConfig(loss(), Descent.adaBelief().build())
                                .getTrainingListeners())
                .singleElement()
                .isInstanceOf(BindingListener.class);
    }
}

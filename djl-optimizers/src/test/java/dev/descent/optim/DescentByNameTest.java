package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Optimizer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Descent#byName}: the library's name table. */
class DescentByNameTest {

    /** The per-parameter optimizers and the builder each name stands for. */
    private static final Map<String, Supplier<CommonBuilder<?>>> PER_PARAMETER =
            Map.ofEntries(
                    Map.entry("adamw", Descent::adamW),
                    Map.entry("adabelief", Descent::adaBelief),
                    Map.entry("lion", Descent::lion),
                    Map.entry("nadamw", Descent::nadamW),
                    Map.entry("radam", Descent::radam),
                    Map.entry("adamax", Descent::adamax),
                    Map.entry("sgd", Descent::sgd),
                    Map.entry("adagrad", Descent::adagrad),
                    Map.entry("rmsprop", Descent::rmsProp),
                    Map.entry("adadelta", Descent::adadelta),
                    Map.entry("frugal", Descent::frugal),
                    Map.entry("soap", Descent::soap),
                    Map.entry("shampoo", Descent::shampoo),
                    Map.entry("muon", Descent::muon),
                    Map.entry("scion", Descent::scion),
                    Map.entry("psgd-kron", Descent::psgdKron));

    @Test
    void everyNameBuildsItsOptimizerClass() {
        assertThat(Descent.optimizers()).extracting(Descent.Entry::name).hasSize(17);
        for (Descent.Entry e : Descent.optimizers()) {
            Optimizer built = Descent.byName(e.name());
            Supplier<CommonBuilder<?>> expected =
                    e.name().equals("mfac") ? Descent::mFac : PER_PARAMETER.get(e.name());
            assertThat(expected).as(e.name()).isNotNull();
            assertThat(built).as(e.name()).isExactlyInstanceOf(expected.get().build().getClass());
            assertThat(e.paper()).as(e.name()).isNotBlank();
        }
    }

    @Test
    void referenceLearningRatesAreThoseOfTheReferenceImplementations() {
        // the README's table: torch.optim, adabelief_pytorch, lion, kron_torch, SOAP, Muon, ...
        Map<String, Double> expected =
                Map.ofEntries(
                        Map.entry("adamw", 1e-3),
                        Map.entry("adabelief", 1e-3),
                        Map.entry("lion", 1e-4),
                        Map.entry("nadamw", 2e-3),
                        Map.entry("radam", 1e-3),
                        Map.entry("adamax", 2e-3),
                        Map.entry("sgd", 1e-3),
                        Map.entry("adagrad", 1e-2),
                        Map.entry("rmsprop", 1e-2),
                        Map.entry("adadelta", 1.0),
                        Map.entry("frugal", 1e-3),
                        Map.entry("mfac", 1e-3),
                        Map.entry("soap", 3e-3),
                        Map.entry("shampoo", 1e-3),
                        Map.entry("muon", 0.02),
                        Map.entry("scion", 1e-3),
                        Map.entry("psgd-kron", 3e-4));
        for (Descent.Entry e : Descent.optimizers()) {
            assertThat(e.referenceLearningRate()).as(e.name()).isEqualTo(expected.get(e.name()));
        }
        assertThat(Descent.optimizer("Lion").referenceLearningRate()).isEqualTo(1e-4);
    }

    @Test
    void optionsReachTheOptimizer() {
        // one step of the named optimizer equals one of the builder with the same options,
        // bit for bit, and differs from the step at the defaults
        for (String name : List.of("adamw", "sgd", "lion", "adagrad")) {
            Descent.Options options =
                    Descent.Options.defaults().withLearningRate(0.5).withWeightDecay(0.25);
            double[] named = step(Descent.byName(name, options));
            double[] built =
                    step(
                            PER_PARAMETER
                                    .get(name)
                                    .get()
                                    .optLearningRate(0.5)
                                    .optWeightDecay(0.25)
                                    .build());
            double[] defaults = step(Descent.byName(name));
            assertThat(named).as(name).containsExactly(built);
            assertThat(named).as(name).isNotEqualTo(defaults);
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> Descent.byName("adam-w"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "unknown optimizer 'adam-w'; known: adamw, adabelief, lion,")
                .hasMessageContaining("psgd-kron");
        assertThatThrownBy(() -> Descent.optimizer("sophia"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known: adamw");
    }

    @Test
    void optionsOutOfRangeAreRefusedByTheBuilder() {
        assertThatThrownBy(
                        () ->
                                Descent.byName(
                                        "adabelief",
                                        Descent.Options.defaults().withLearningRate(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(
                        () ->
                                Descent.byName(
                                        "adamw", Descent.Options.defaults().withWeightDecay(-2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weightDecay")
                .hasMessageContaining("-2.0");
    }

    /** The weight after one update of a float64 4×3 matrix with a fixed gradient. */
    private static double[] step(Optimizer optimizer) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.arange(12.0f).reshape(4, 3).toType(DataType.FLOAT64, false).div(10);
            NDArray g = manager.linspace(-1f, 2f, 12).reshape(4, 3).toType(DataType.FLOAT64, false);
            optimizer.update("w", w, g);
            return w.toDoubleArray();
        }
    }
}

package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import dev.descent.onnx.DerivativeMode;
import dev.descent.onnx.OnnxExporter;
import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.RuntimeOptions;
import dev.descent.onnx.Surrogate;
import dev.descent.onnx.Surrogates;
import dev.descent.surrogate.hybrid.HybridSearch;
import org.junit.jupiter.api.Test;

/**
 * The solvers on a real ONNX surrogate: a DJL tanh MLP 3 → 8 → 2 exported to ONNX and opened
 * through the bridge, with exact (imported graph) and central-difference derivatives; the
 * evaluator's forward passes are the bridge's own evaluation count.
 */
class OnnxSurrogateIntegrationTest {

    private static final int N = 3;

    private static byte[] exportedMlp() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            Block block =
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(8).build())
                            .add(Activation.tanhBlock())
                            .add(Linear.builder().setUnits(2).build());
            block.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, N));
            return OnnxExporter.toModel(block, new Shape(1, N)).toByteArray();
        }
    }

    @Test
    void hybridRunsOnAnExportedNetworkWithExactAndEstimatedDerivatives() {
        byte[] bytes = exportedMlp();
        for (DerivativeMode mode :
                new DerivativeMode[] {DerivativeMode.EXACT, DerivativeMode.CENTRAL_DIFFERENCES}) {
            try (OnnxModel model = OnnxModel.open(bytes, "mlp", RuntimeOptions.DEFAULTS);
                    Surrogate phi = Surrogates.builder(model).optMode(mode).build()) {
                SurrogateProblem problem =
                        SurrogateProblem.builder(phi)
                                .setStart(new double[N])
                                .setObjective(OutputFunction.linear(new double[] {1, -1}, 0))
                                .optBounds(new double[] {-1, -1, -1}, new double[] {1, 1, 1})
                                .build();
                SurrogateResult result =
                        HybridSearch.builder().build().solve(problem, Limits.ofEvaluations(150), 0);
                assertThat(phi.exactDerivatives()).isEqualTo(mode == DerivativeMode.EXACT);
                assertThat(result.forwardPasses()).isEqualTo(phi.evaluations());
                long perDerivative = mode == DerivativeMode.EXACT ? 1 : 2 * N;
                assertThat(result.history().size() + perDerivative * phi.derivativeRequests())
                        .isEqualTo(result.forwardPasses());
                assertThat(result.best().objective())
                        .isGreaterThan(result.history().evaluations().get(0).objective());
            }
        }
    }
}

package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConvexReluNetworkTest {

    /** float64 agreement of the recovered network with the program (round-off only). */
    private static final double F64 = 1e-8;

    /** float32 agreement of the DJL block with the float64 network, relative to max(1, |f|). */
    private static final double F32 = 1e-5;

    private static ConvexReluProgram program;
    private static ConvexReluSolution exact;

    @BeforeAll
    static void solve() {
        program = ConvexReluFixtures.twoDimensional();
        exact = ConvexReluInteriorPoint.solve(program, 1e-9).solution();
    }

    @Test
    void theRecoveredNetworkReproducesTheProgramsPredictionsAndObjective() {
        ConvexReluNetwork network = ConvexReluNetwork.recover(program, exact);
        double[][] features = ConvexReluFixtures.features(program);
        double[] fromNetwork = network.predict(features);
        double[] fromProgram = program.predictions(exact);
        for (int r = 0; r < fromProgram.length; r++) {
            assertThat(fromNetwork[r]).isCloseTo(fromProgram[r], within(F64));
        }
        double objective = program.objective(exact);
        assertThat(network.loss(features, program.targets(), program.beta()))
                .isCloseTo(objective, within(F64 * objective));
        assertThat(network.width()).isEqualTo(exact.nonzeroGroups());
    }

    @Test
    void eachNeuronCarriesTheNormOfItsGroupSplitEvenly() {
        ConvexReluNetwork network = ConvexReluNetwork.recover(program, exact);
        double[][] w = network.hiddenWeights();
        double[] b = network.hiddenBiases();
        double[] alpha = network.outputWeights();
        int k = 0;
        for (double[][] groups : new double[][][] {exact.v(), exact.w()}) {
            for (double[] group : groups) {
                double norm = Math.sqrt(ConvexReluProgram.dot(group, group));
                double first = ConvexReluProgram.dot(w[k], w[k]) + b[k] * b[k];
                assertThat(first).isCloseTo(norm, within(F64 * norm));
                assertThat(alpha[k] * alpha[k]).isCloseTo(norm, within(F64 * norm));
                assertThat(Math.signum(alpha[k])).isEqualTo(groups == exact.v() ? 1.0 : -1.0);
                k++;
            }
        }
    }

    @Test
    void zeroGroupsGiveNoNeuronAndAnEmptyNetworkHasNoBlock() {
        ConvexReluSolution sparse =
                ConvexReluSolution.zeros(program.patterns(), program.dimension());
        sparse.v()[3] = program.generator(3);
        ConvexReluNetwork one = ConvexReluNetwork.recover(program, sparse);
        assertThat(one.width()).isEqualTo(1);
        ConvexReluNetwork none =
                ConvexReluNetwork.recover(
                        program, ConvexReluSolution.zeros(program.patterns(), program.dimension()));
        assertThat(none.width()).isZero();
        assertThat(none.predict(new double[][] {{0.5, 0.5}})).containsExactly(0.0);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> none.toBlock(manager))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no neuron");
        }
    }

    @Test
    void theDjlBlockComputesTheNetworkInFloat32() {
        ConvexReluNetwork network = ConvexReluNetwork.recover(program, exact);
        double[][] features = ConvexReluFixtures.features(program);
        double[] expected = network.predict(features);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = network.toBlock(manager);
            float[] flat = new float[features.length * 2];
            for (int r = 0; r < features.length; r++) {
                flat[2 * r] = (float) features[r][0];
                flat[2 * r + 1] = (float) features[r][1];
            }
            NDArray input =
                    manager.create(flat, new ai.djl.ndarray.types.Shape(features.length, 2));
            float[] out =
                    block.forward(new ParameterStore(manager, false), new NDList(input), false)
                            .singletonOrThrow()
                            .toFloatArray();
            assertThat(out).hasSize(features.length);
            for (int r = 0; r < out.length; r++) {
                assertThat((double) out[r])
                        .isCloseTo(expected[r], within(F32 * Math.max(1, Math.abs(expected[r]))));
            }
        }
    }

    @Test
    void badInputIsRefusedByName() {
        ConvexReluNetwork network = ConvexReluNetwork.recover(program, exact);
        assertThatThrownBy(() -> network.predict(new double[][] {{1, 2, 3}}))
                .hasMessage("features must have 2 columns, got 3");
        assertThatThrownBy(() -> network.predict(new double[][] {{1, Double.NaN}}))
                .hasMessageContaining("features[0][1] must be finite");
        assertThatThrownBy(() -> network.loss(new double[][] {{1, 2}}, new double[] {1, 2}, 1e-3))
                .hasMessageContaining("targets must have one entry per row of features (1), got 2");
        assertThatThrownBy(() -> network.loss(new double[][] {{1, 2}}, new double[] {1}, -1))
                .hasMessageContaining("beta must be finite and >= 0, got -1.0");
        ConvexReluSolution broken =
                ConvexReluSolution.zeros(program.patterns(), program.dimension());
        broken.w()[2][1] = Double.NaN;
        assertThatThrownBy(() -> ConvexReluNetwork.recover(program, broken))
                .hasMessageContaining("solution group 2 is not finite");
    }
}

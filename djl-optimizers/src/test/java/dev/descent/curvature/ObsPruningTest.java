package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OBS pruning against its closed form on a quadratic, exact sparsities, and bad input. */
class ObsPruningTest {

    /** float64 against a dense float64 inverse of condition ≲ 1e4: rounding. */
    private static final double F64_TOL = 1e-9;

    private static final double DAMPING = 1e-2;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static double[][] randomRows(int m, int d, Random random) {
        double[][] rows = new double[m][d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return rows;
    }

    private static long zeros(double[] w) {
        long n = 0;
        for (double v : w) {
            n += v == 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void oneWeightIsRemovedByTheClosedFormObsUpdate() {
        int d = 6;
        int m = 3;
        Random random = new Random(4);
        double[][] g = randomRows(m, d, random);
        double[] w = randomRows(1, d, random)[0];
        List<double[]> rows = new ArrayList<>(List.of(g));
        SimpleMatrix inverse = InverseFisherTest.explicitInverse(rows, m, DAMPING, d);
        int best = 0;
        for (int q = 1; q < d; q++) {
            double sq = w[q] * w[q] / (2 * inverse.get(q, q));
            double sb = w[best] * w[best] / (2 * inverse.get(best, best));
            best = sq < sb ? q : best;
        }
        double[] expected = new double[d];
        for (int i = 0; i < d; i++) {
            // δw = −(w_q/[F⁻¹]_qq)·F⁻¹e_q: the least quadratic increase with w_q = 0
            expected[i] = w[i] - w[best] / inverse.get(best, best) * inverse.get(i, best);
        }

        boolean[] alive = new boolean[d];
        Arrays.fill(alive, true);
        ObsPruning.pruneStep(w, alive, 1.0 / d, manager.create(g), DAMPING, 0);

        assertThat(w).containsExactly(expected, within(F64_TOL));
        assertThat(w[best]).as("pruned weight").isZero();
        for (int i = 0; i < d; i++) {
            assertThat(alive[i]).as("alive[%d]", i).isEqualTo(i != best);
        }
    }

    @Test
    void schedulesReachTheExactTargetAndPrunedWeightsStayZero() {
        int d = 37;
        int m = 4;
        double target = 0.7;
        long expectedZeros = Math.round(target * d);
        Random random = new Random(9);
        double[] obs = randomRows(1, d, random)[0];
        double[] magnitude = obs.clone();
        boolean[] obsAlive = new boolean[d];
        boolean[] magnitudeAlive = new boolean[d];
        Arrays.fill(obsAlive, true);
        Arrays.fill(magnitudeAlive, true);
        double[] schedule = ObsPruning.geometricSchedule(0, target, 3);
        List<Long> zerosPerStep = new ArrayList<>();
        ObsPruning.prune(
                obs,
                obsAlive,
                schedule,
                weights -> {
                    zerosPerStep.add(zeros(weights));
                    return manager.create(randomRows(m, d, random));
                },
                DAMPING,
                5);
        for (double s : schedule) {
            ObsPruning.pruneByMagnitude(magnitude, magnitudeAlive, s);
        }
        assertThat(zerosPerStep)
                .containsExactly(
                        0L,
                        ObsPruning.prunedCount(schedule[0], d),
                        ObsPruning.prunedCount(schedule[1], d));
        assertThat(zeros(obs)).isEqualTo(expectedZeros);
        assertThat(zeros(magnitude)).isEqualTo(expectedZeros);
        for (int i = 0; i < d; i++) {
            assertThat(obs[i] == 0).as("OBS weight %d zero iff pruned", i).isEqualTo(!obsAlive[i]);
            assertThat(magnitude[i] == 0).as("magnitude %d", i).isEqualTo(!magnitudeAlive[i]);
        }
    }

    @Test
    void theGeometricScheduleShrinksTheDensityByAConstantFactor() {
        assertThat(ObsPruning.geometricSchedule(0, 0.9, 2))
                .containsExactly(new double[] {1 - Math.sqrt(0.1), 0.9}, within(1e-15));
        assertThat(ObsPruning.geometricSchedule(0.5, 0.7, 1)).containsExactly(0.7);
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        double[] w = {1, 2, 3};
        boolean[] alive = {true, true, true};
        NDArray g = manager.ones(new Shape(2, 3));
        assertThatThrownBy(() -> ObsPruning.pruneStep(w, alive, 1.5, g, DAMPING, 0))
                .hasMessage("sparsity must be in [0, 1], got 1.5");
        assertThatThrownBy(
                        () ->
                                ObsPruning.pruneStep(
                                        w, alive, 0.5, manager.ones(new Shape(2, 4)), DAMPING, 0))
                .hasMessage("gradients must be an m×3 matrix, got shape (2, 4)");
        assertThatThrownBy(() -> ObsPruning.pruneStep(w, alive, 0.5, g, 0, 0))
                .hasMessage("damping must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> ObsPruning.pruneByMagnitude(w, new boolean[2], 0.5))
                .hasMessage("alive has 2 entries but there are 3 weights");
        boolean[] half = {false, false, true};
        assertThatThrownBy(() -> ObsPruning.pruneByMagnitude(w, half, 0.3))
                .hasMessage(
                        "sparsity 0.3 keeps more weights than are alive: 2 of 3 are pruned already");
        assertThatThrownBy(() -> ObsPruning.geometricSchedule(0.5, 0.4, 2))
                .hasMessage("from must be in [0, 1) and <= to (0.4), got 0.5");
        assertThatThrownBy(() -> ObsPruning.geometricSchedule(0, 0.4, 0))
                .hasMessage("steps must be >= 1, got 0");
    }
}

package dev.descent.surrogate.mbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OfflineTaskTest {

    private static final double EXACT = 1e-12;

    /** Semi-implicit Euler at step 0.005 against the steady-state closed form. */
    private static final double SIMULATION_RTOL = 0.02;

    @Test
    void shiftedFunctionsPeakAtZeroAtTheShift() {
        for (ShiftedFunctionTask.Function f : ShiftedFunctionTask.Function.values()) {
            ShiftedFunctionTask task = new ShiftedFunctionTask(f, 32, 11);
            assertThat(task.score(task.optimum())).as(f.name()).isCloseTo(0, within(EXACT));
            double[] away = task.optimum();
            away[3] += 0.3;
            assertThat(task.score(away)).as(f.name()).isLessThan(-1e-3);
        }
    }

    @Test
    void shiftedFunctionsMatchTheirFormulasAtKnownPoints() {
        ShiftedFunctionTask rastrigin =
                new ShiftedFunctionTask(ShiftedFunctionTask.Function.RASTRIGIN, 2, 5);
        double[] x = rastrigin.optimum();
        x[0] += 0.5;
        // z = (0.5, 0): 20 + 0.25 − 10·cos(π) − 10 = 20.25
        assertThat(rastrigin.score(x)).isCloseTo(-20.25, within(EXACT));
        ShiftedFunctionTask rosenbrock =
                new ShiftedFunctionTask(ShiftedFunctionTask.Function.ROSENBROCK, 2, 5);
        double[] y = rosenbrock.optimum();
        y[0] -= 1;
        // a = 0, b = 1: 100·1 + 1
        assertThat(rosenbrock.score(y)).isCloseTo(-101, within(EXACT));
    }

    @Test
    void pointsOutsideTheBoxAreClippedBeforeScoring() {
        ShiftedFunctionTask task =
                new ShiftedFunctionTask(ShiftedFunctionTask.Function.ACKLEY, 4, 1);
        double[] far = {100, -100, 100, -100};
        assertThat(task.toDesign(far)).containsExactly(5, -5, 5, -5);
        assertThat(task.score(far)).isEqualTo(task.score(new double[] {5, -5, 5, -5}));
    }

    @Test
    void nkScoreIsTheMeanOfTheTableEntriesOfEachWindow() {
        NkLandscapeTask task = new NkLandscapeTask(3, 2, 1, 9);
        // the tables are drawn in order: position-major, 2² entries each
        SplittableRandom random = new SplittableRandom(9);
        double[][] table = new double[3][4];
        for (double[] t : table) {
            for (int j = 0; j < 4; j++) {
                t[j] = random.nextDouble();
            }
        }
        int[] s = {1, 0, 1};
        double expected = (table[0][2] + table[1][1] + table[2][3]) / 3;
        assertThat(task.fitness(s)).isCloseTo(expected, within(EXACT));
        double[] relaxed = {0.2, 0.9, 0.7, -1, 0.1, 0.3};
        assertThat(task.decode(relaxed)).containsExactly(1, 0, 1);
        assertThat(task.score(relaxed)).isEqualTo(task.fitness(s));
        assertThat(task.toDesign(relaxed)).containsExactly(0, 1, 1, 0, 0, 1);
    }

    @Test
    void oneMassOnTheShakingBaseReachesTheClosedFormTransmissibility() {
        SpringChainTask task = new SpringChainTask(1);
        double[] x = {0, 0}; // k = 10, c = 1
        double k = 10;
        double c = 1;
        double w = SpringChainTask.OMEGA;
        double transmissibility =
                Math.sqrt((k * k + c * c * w * w) / ((k - w * w) * (k - w * w) + c * c * w * w));
        double sag = 9.81 / k;
        double expected = -transmissibility / Math.sqrt(2) - SpringChainTask.SAG_WEIGHT * sag;
        assertThat(task.score(x)).isCloseTo(expected, within(SIMULATION_RTOL * -expected));
    }

    @Test
    void everyStandardTaskScoresItsSamplesFinitely() {
        for (String name : OfflineTasks.names()) {
            OfflineTask task = OfflineTasks.byName(name).task();
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < 20; i++) {
                double[] x = task.sample(random);
                assertThat(x).hasSize(task.dimension());
                assertThat(task.score(x)).as(name).isFinite();
            }
        }
    }
}

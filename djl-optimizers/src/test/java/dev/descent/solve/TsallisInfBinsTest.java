package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TsallisInfBinsTest {

    /** Contexts go to the bin of the nearest centre a + (b − a)(j + ½)/bins. */
    @Test
    void contextsGoToTheNearestCentre() {
        TsallisInfBins learner = new TsallisInfBins(4, 5, -0.15, 0.65, 1);
        for (double c = -0.15; c <= 0.65; c += 0.0137) {
            int nearest = 0;
            for (int j = 1; j < 5; j++) {
                double centre = -0.15 + 0.8 * (j + 0.5) / 5;
                double best = -0.15 + 0.8 * (nearest + 0.5) / 5;
                if (Math.abs(centre - c) < Math.abs(best - c)) {
                    nearest = j;
                }
            }
            assertThat(learner.bin(c)).as("context %s", c).isEqualTo(nearest);
        }
        assertThat(learner.bin(0.65)).isEqualTo(4);
        assertThat(learner.bin(-0.15)).isZero();
    }

    /** Each bin learns its own best arm: arm 0 in the lower half, arm 2 in the upper. */
    @Test
    void binsLearnIndependently() {
        TsallisInfBins learner = new TsallisInfBins(3, 2, 0, 1, 4);
        SplittableRandom r = new SplittableRandom(8);
        int[] late = new int[2];
        for (int t = 0; t < 6000; t++) {
            double c = r.nextDouble();
            int arm = learner.select(c);
            boolean low = c < 0.5;
            int best = low ? 0 : 2;
            learner.update(arm == best ? 10 : 40);
            if (t >= 5000 && arm == best) {
                late[low ? 0 : 1]++;
            }
        }
        assertThat(late[0] + late[1]).isGreaterThan(900);
        assertThat(late[0]).isGreaterThan(400);
        assertThat(late[1]).isGreaterThan(400);
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> new TsallisInfBins(0, 5, 0, 1, 1))
                .hasMessageContaining("arm set must not be empty");
        assertThatThrownBy(() -> new TsallisInfBins(3, 0, 0, 1, 1))
                .hasMessageContaining("bins must be >= 1");
        assertThatThrownBy(() -> new TsallisInfBins(3, 5, 0, Double.NaN, 1))
                .hasMessageContaining("context range");
        TsallisInfBins learner = new TsallisInfBins(3, 5, -0.15, 0.65, 1);
        assertThatThrownBy(() -> learner.select(Double.NaN))
                .hasMessageContaining("context must be finite, got NaN");
        assertThatThrownBy(() -> learner.select(-0.2))
                .hasMessageContaining("outside the learner's range");
        assertThatThrownBy(() -> learner.update(2)).isInstanceOf(IllegalStateException.class);
    }
}

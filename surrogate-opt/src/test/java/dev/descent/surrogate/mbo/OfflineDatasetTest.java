package dev.descent.surrogate.mbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OfflineDatasetTest {

    private static final double EXACT = 1e-12;

    @Test
    void percentilesInterpolateLinearlyBetweenOrderStatistics() {
        double[] v = {5, 1, 4, 2, 3};
        assertThat(Percentiles.of(v, 0)).isEqualTo(1);
        assertThat(Percentiles.of(v, 100)).isEqualTo(5);
        assertThat(Percentiles.of(v, 50)).isEqualTo(3);
        // numpy.percentile([1, 2, 3, 4, 5], 80) = 4.2; ([1, 2, 3, 4], 50) = 2.5
        assertThat(Percentiles.of(v, 80)).isCloseTo(4.2, within(EXACT));
        assertThat(Percentiles.of(new double[] {4, 3, 2, 1}, 50)).isCloseTo(2.5, within(EXACT));
        assertThat(Percentiles.of(new double[] {7}, 80)).isEqualTo(7);
    }

    @Test
    void keepsDesignsAtOrBelowThePercentileInOrderWithTheFullRange() {
        double[][] x = {{0}, {1}, {2}, {3}, {4}, {5}};
        double[] y = {10, -2, 7, 3, 3, 20};
        // 50th percentile of {-2, 3, 3, 7, 10, 20} is 5: keep -2, 3, 3 in original order
        OfflineDataset data = OfflineDataset.keepBottom(x, y, 50);
        assertThat(data.scores()).containsExactly(-2, 3, 3);
        assertThat(data.designs()).isDeepEqualTo(new double[][] {x[1], x[3], x[4]});
        assertThat(data.fullMin()).isEqualTo(-2);
        assertThat(data.fullMax()).isEqualTo(20);
        // ties at the threshold are kept: the 40th percentile is exactly 3
        assertThat(OfflineDataset.keepBottom(x, y, 40).scores()).containsExactly(-2, 3, 3);
        assertThat(OfflineDataset.keepBottom(x, y, 100).size()).isEqualTo(6);
    }

    @Test
    void normalizesByTheFullSampleNotTheKeptPart() {
        OfflineDataset data =
                OfflineDataset.keepBottom(
                        new double[][] {{0}, {1}, {2}, {3}}, new double[] {1, 2, 3, 5}, 50);
        assertThat(data.normalize(1)).isCloseTo(0, within(EXACT));
        assertThat(data.normalize(5)).isCloseTo(1, within(EXACT));
        assertThat(data.normalize(2)).isCloseTo(0.25, within(EXACT));
        assertThat(data.normalize(7)).isCloseTo(1.5, within(EXACT));
        assertThat(data.topIndices(2)).containsExactly(1, 0);
    }

    @Test
    void sampledDataHidesTheTopOfTheSample() {
        OfflineTasks.Spec spec = OfflineTasks.byName("ackley");
        OfflineDataset data = OfflineDataset.sample(spec.task(), 400, 50, 7);
        assertThat(data.size()).isEqualTo(200);
        double best = data.scores()[data.topIndices(1)[0]];
        assertThat(data.normalize(best)).isLessThan(1);
        assertThat(OfflineDataset.sample(spec.task(), 400, 50, 7).scores())
                .containsExactly(data.scores());
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        double[][] x = {{0}, {1}};
        double[] y = {0, 1};
        assertThatThrownBy(() -> OfflineDataset.keepBottom(x, y, 0))
                .hasMessageContaining("keepPercentile must be in (0, 100], got 0.0");
        assertThatThrownBy(() -> Percentiles.of(y, 101))
                .hasMessageContaining("q must be in [0, 100], got 101.0");
        assertThatThrownBy(() -> new OfflineDataset(x, y, 1, 1))
                .hasMessageContaining("fullMax must exceed fullMin");
        assertThatThrownBy(() -> OfflineTasks.byName("tfbind"))
                .hasMessageContaining("unknown task 'tfbind'");
    }
}

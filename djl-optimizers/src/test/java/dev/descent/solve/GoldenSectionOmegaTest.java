package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GoldenSectionOmegaTest {

    /**
     * A unimodal count round(1000 (ω − 1.37)²) + 3 from the reference's start grid and 12
     * evaluations: the start's best point is 1.3, its bracket [1, 1.5] shrinks by τ per evaluation
     * over the 6 golden-section steps after the first, so the answer lies within 0.5 τ⁶ ≈ 0.028 of
     * 1.37, and the least count found is at most the start grid's.
     */
    @Test
    void findsTheMinimumOfAUnimodalCount() {
        GoldenSectionOmega.Search s =
                GoldenSectionOmega.search(
                        w -> (int) Math.round(1000 * (w - 1.37) * (w - 1.37)) + 3,
                        GoldenSectionOmega.REFERENCE_START,
                        GoldenSectionOmega.REFERENCE_EVALUATIONS);
        assertThat(s.omegas()).hasSize(12).startsWith(GoldenSectionOmega.REFERENCE_START);
        assertThat(s.omega()).isCloseTo(1.37, within(0.5 * Math.pow((Math.sqrt(5) - 1) / 2, 6)));
        assertThat(s.leastCost()).isLessThanOrEqualTo(8).isGreaterThanOrEqualTo(3);
    }

    /**
     * SSOR-PCG on A + cI (10 × 10 Laplacian, c = 0.05, a fixed b): the ω found costs no more than
     * the best of linspace(1, 1.95, 20) plus one iteration, and no more than any start-grid point.
     */
    @Test
    void ssorPcgOptimumIsNoWorseThanTheArmGrid() {
        CsrMatrix a = Laplacian.dirichlet(10, 10).plusIdentity(0.05);
        double[] b = new double[100];
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.sin(0.37 * i) + 0.1 * (i % 7);
        }
        StoppingRule rule = new StoppingRule(1e-8, 10_000);
        java.util.function.DoubleToIntFunction cost =
                w -> new SsorPcg(w).solve(a, b, rule).iterations();
        GoldenSectionOmega.Search s =
                GoldenSectionOmega.search(
                        cost,
                        GoldenSectionOmega.REFERENCE_START,
                        GoldenSectionOmega.REFERENCE_EVALUATIONS);
        int gridBest = Integer.MAX_VALUE;
        for (double w : RelaxTestData.linspace(1, 1.95, 20)) {
            gridBest = Math.min(gridBest, cost.applyAsInt(w));
        }
        for (double w : GoldenSectionOmega.REFERENCE_START) {
            assertThat(s.leastCost()).isLessThanOrEqualTo(cost.applyAsInt(w));
        }
        assertThat(cost.applyAsInt(s.omega())).isLessThanOrEqualTo(gridBest + 1);
    }

    /** Ties everywhere: the midpoint of the first and last evaluated ω (the reference's rule). */
    @Test
    void constantCountGivesTheMidpointOfFirstAndLast() {
        GoldenSectionOmega.Search s =
                GoldenSectionOmega.search(w -> 4, new double[] {1, 1.5, 1.9}, 6);
        assertThat(s.omega()).isCloseTo(0.5 * (1 + s.omegas()[5]), within(1e-15));
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> GoldenSectionOmega.search(w -> 1, new double[] {1}, 5))
                .hasMessageContaining("start must have at least 2 points");
        assertThatThrownBy(() -> GoldenSectionOmega.search(w -> 1, new double[] {1.5, 1.2}, 5))
                .hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> GoldenSectionOmega.search(w -> 1, new double[] {1, 1.5}, 3))
                .hasMessageContaining("evaluations must be >= start.length + 2 = 4, got 3");
    }
}

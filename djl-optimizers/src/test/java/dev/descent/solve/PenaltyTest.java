package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** The penalties' values and proximal maps: closed forms, brute force, continuity, bad input. */
class PenaltyTest {

    /** Grid spacing of the brute-force minimization. */
    private static final double GRID = 1e-4;

    @Provide
    Arbitrary<Penalty> penalties() {
        Arbitrary<Double> lambda = Arbitraries.doubles().between(0.01, 2);
        return Arbitraries.oneOf(
                lambda.map(Penalty::l1),
                lambda.map(Penalty::scad),
                lambda.map(Penalty::mcp),
                Arbitraries.doubles()
                        .between(0.01, 2)
                        .flatMap(
                                l ->
                                        Arbitraries.doubles()
                                                .between(1.05, 5)
                                                .map(g -> new Penalty.Mcp(l, g))));
    }

    /**
     * The closed form minimizes {@code ½(x − z)² + t·p(x)}: its objective is no larger than the
     * smallest over a grid of spacing 1e-4 on [−|z| − 1, |z| + 1] (within 1e-12), and it lies
     * within 2e-3 of the grid's minimizer (the objective's curvature is at least {@code 1 −
     * t/maxStep} ≥ 0.1 here, so a grid point 1e-4 away is within 1e-8 of the optimum in value).
     */
    @Property(tries = 300, seed = "14")
    void closedFormMinimizesTheProximalObjectiveOnAFineGrid(
            @ForAll("penalties") Penalty penalty,
            @ForAll @DoubleRange(min = -8, max = 8) double z,
            @ForAll @DoubleRange(min = 0.05, max = 0.9) double fraction) {
        double t = Math.min(fraction * penalty.maxStep(), 3 * fraction);
        double x = penalty.prox(z, t);
        double best = Double.POSITIVE_INFINITY;
        double argmin = Double.NaN;
        double bound = Math.abs(z) + 1;
        for (double u = -bound; u <= bound; u += GRID) {
            double v = 0.5 * (u - z) * (u - z) + t * penalty.value(u);
            if (v < best) {
                best = v;
                argmin = u;
            }
        }
        double atProx = 0.5 * (x - z) * (x - z) + t * penalty.value(x);
        assertThat(atProx)
                .as("objective at the prox of %s, z %s, t %s", penalty, z, t)
                .isLessThanOrEqualTo(best + 1e-12);
        assertThat(x).isCloseTo(argmin, within(2e-3));
    }

    @Test
    void closedFormsAtHandPickedPointsOfEveryBranch() {
        Penalty scad = Penalty.scad(1); // a = 3.7
        double t = 0.5;
        // |z| ≤ (1 + t)λ = 1.5: soft threshold
        assertThat(scad.prox(1.2, t)).isCloseTo(0.7, within(1e-15));
        assertThat(scad.prox(-0.4, t)).isEqualTo(0);
        // (1.5, 3.7]: ((a − 1)z − t·a·λ)/(a − 1 − t) = (2.7·3 − 1.85)/2.2
        assertThat(scad.prox(3, t)).isCloseTo((2.7 * 3 - 1.85) / 2.2, within(1e-15));
        assertThat(scad.prox(-3, t)).isCloseTo(-(2.7 * 3 - 1.85) / 2.2, within(1e-15));
        assertThat(scad.prox(5, t)).isEqualTo(5);
        Penalty mcp = Penalty.mcp(1); // γ = 3
        assertThat(mcp.prox(2, t)).isCloseTo(1.5 / (1 - 0.5 / 3), within(1e-15));
        assertThat(mcp.prox(0.3, t)).isEqualTo(0);
        assertThat(mcp.prox(-3.5, t)).isEqualTo(-3.5);
        assertThat(Penalty.l1(1).prox(-2, t)).isCloseTo(-1.5, within(1e-15));
        // penalty values: SCAD's three pieces, MCP's two, each constant beyond its knot
        assertThat(scad.value(0.5)).isCloseTo(0.5, within(1e-15));
        assertThat(scad.value(2)).isCloseTo((2 * 3.7 * 2 - 4 - 1) / (2 * 2.7), within(1e-15));
        assertThat(scad.value(9)).isCloseTo(4.7 / 2, within(1e-15));
        assertThat(mcp.value(1)).isCloseTo(1 - 1.0 / 6, within(1e-15));
        assertThat(mcp.value(-7)).isCloseTo(1.5, within(1e-15));
        // derivatives on the support agree with central differences
        for (Penalty p : List.of(scad, mcp, Penalty.l1(1))) {
            for (double x : new double[] {-5, -2.5, -0.7, 0.4, 1.3, 2.2, 3.5, 6}) {
                double h = 1e-6;
                double fd = (p.value(x + h) - p.value(x - h)) / (2 * h);
                assertThat(p.derivative(x)).as("%s at %s", p, x).isCloseTo(fd, within(1e-7));
            }
        }
    }

    /** The maps are continuous: no jump at the thresholds (the step is inside the valid range). */
    @Test
    void mapsAreContinuousAcrossTheirThresholds() {
        double t = 0.8;
        for (Penalty p : List.of(Penalty.scad(0.7), Penalty.mcp(0.7), Penalty.l1(0.7))) {
            double[] knots = {t * 0.7, (1 + t) * 0.7, 3.7 * 0.7, 3 * 0.7};
            for (double knot : knots) {
                for (double sign : new double[] {-1, 1}) {
                    double below = p.prox(sign * (knot - 1e-9), t);
                    double above = p.prox(sign * (knot + 1e-9), t);
                    assertThat(Math.abs(above - below))
                            .as("jump of %s at %s", p, sign * knot)
                            .isLessThan(1e-8);
                }
            }
        }
    }

    /**
     * The engine map equals the host map in float64 over points in every branch, and in float32.
     */
    @Test
    void engineMapMatchesTheHostMap() {
        double[] z = new double[801];
        for (int i = 0; i < z.length; i++) {
            z[i] = -4 + 0.01 * i;
        }
        for (Penalty p : List.of(Penalty.scad(0.9), Penalty.mcp(0.9), Penalty.l1(0.9))) {
            double t = 0.6;
            double[] expected = p.prox(z, t);
            try (NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                NDArray za = scope.create(z);
                double[] got = p.prox(za, t).toDoubleArray();
                for (int i = 0; i < z.length; i++) {
                    assertThat(got[i])
                            .as("%s at %s", p, z[i])
                            .isCloseTo(expected[i], within(1e-14));
                }
                NDArray single = za.toType(DataType.FLOAT32, true);
                float[] f = p.prox(single, t).toFloatArray();
                for (int i = 0; i < z.length; i++) {
                    assertThat((double) f[i]).isCloseTo(expected[i], within(1e-5));
                }
                assertThat(za.toDoubleArray()).as("input not modified").isEqualTo(z);
            }
        }
    }

    @Test
    void invalidParametersAndStepsAreRefusedByName() {
        assertThatThrownBy(() -> Penalty.l1(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lambda must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> Penalty.mcp(Double.NaN)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> new Penalty.Scad(1, 1)).hasMessageContaining("SCAD a must be");
        assertThatThrownBy(() -> new Penalty.Mcp(1, 0)).hasMessageContaining("MCP gamma must be");
        assertThatThrownBy(() -> Penalty.mcp(1).prox(1, 3))
                .hasMessageContaining("MCP needs gamma > t, gamma = 3.0")
                .hasMessageContaining("t = 3.0");
        assertThatThrownBy(() -> Penalty.scad(1).prox(1, 2.7))
                .hasMessageContaining("SCAD needs a > 1 + t, a = 3.7");
        assertThatThrownBy(() -> Penalty.l1(1).prox(1, 0)).hasMessageContaining("> 0, got 0.0");
        try (NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray z = scope.create(new double[] {1, 2});
            assertThatThrownBy(() -> Penalty.mcp(1).prox(z, 4)).hasMessageContaining("gamma > t");
        }
    }
}

package dev.descent.surrogate.dsm;

import dev.descent.surrogate.Directions;
import java.util.Random;

/**
 * The cDSM covering step: one random point x + d in the ball B∞(x, r₀), with d = u·r₀·U^{1/n}, u
 * random with ‖u‖∞ = 1 and U uniform on [0, 1). Evaluated points thereby become dense around every
 * refined point, which certifies convergence to a local solution.
 *
 * <p>Deviation from the reference: its radius is (U·r₀)^{1/n}, which leaves the ball when r₀ &lt; 1
 * and n &gt; 1 (e.g. r₀ = 0.1, n = 2 reaches 0.32); r₀·U^{1/n} stays in it.
 */
public final class CoveringStep {

    private CoveringStep() {}

    /**
     * Returns the covering step d, ‖d‖∞ ≤ r₀.
     *
     * @param n the dimension
     * @param coveringRadius r₀ &gt; 0
     * @param random the source; modified
     * @return d
     */
    public static double[] direction(int n, double coveringRadius, Random random) {
        double[] u = Directions.unitInfinity(n, random);
        double scale = coveringRadius * Math.pow(random.nextDouble(), 1.0 / n);
        for (int i = 0; i < n; i++) {
            u[i] *= scale;
        }
        return u;
    }
}

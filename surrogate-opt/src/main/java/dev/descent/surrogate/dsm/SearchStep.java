package dev.descent.surrogate.dsm;

import dev.descent.surrogate.Directions;
import java.util.Random;

/**
 * The cDSM search step (optional, the reference's "light search"): one random line-search trial d =
 * u·ρ with ‖u‖∞ = 1 and ρ = min(r_max, r₀·√(k+1)), k the number of searches made before.
 */
public final class SearchStep {

    private SearchStep() {}

    /**
     * Returns the search radius ρ = min(r_max, r₀·√(k+1)).
     *
     * @param coveringRadius r₀
     * @param searches k, searches made before
     * @param maxRadius r_max
     * @return ρ
     */
    public static double radius(double coveringRadius, int searches, double maxRadius) {
        return Math.min(maxRadius, coveringRadius * Math.sqrt(searches + 1.0));
    }

    /**
     * Returns the search step d with ‖d‖∞ = ρ.
     *
     * @param n the dimension
     * @param radius ρ
     * @param random the source; modified
     * @return d
     */
    public static double[] direction(int n, double radius, Random random) {
        return Directions.scaleToInfinityNorm(Directions.unitInfinity(n, random), radius);
    }
}

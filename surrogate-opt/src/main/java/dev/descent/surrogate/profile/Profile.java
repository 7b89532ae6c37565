package dev.descent.surrogate.profile;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data or performance profile at one tolerance τ: for each solver, the fraction of instances
 * whose cost is at most x, as a non-decreasing step function of x.
 *
 * <ul>
 *   <li>{@link Kind#DATA}: the cost of instance p is t(p, s)/(n_p + 1), the budget in simplex
 *       gradients; {@code d_s(κ) = |{p : t(p, s)/(n_p + 1) ≤ κ}| / |P|}.
 *   <li>{@link Kind#PERFORMANCE}: the cost is t(p, s)/min over s' of t(p, s'); {@code ρ_s(α) = |{p
 *       : ratio ≤ α}| / |P|}.
 * </ul>
 *
 * Unsolved instances have cost +∞ and are never counted, so a profile's limit for large x is the
 * fraction of instances the solver solved within its budget. Built by {@link ConvergenceTable}.
 */
public final class Profile {

    /** Which of the two profiles of Moré and Wild. */
    public enum Kind {
        /** Budgets in units of n + 1 evaluations. */
        DATA,
        /** Ratios to the fastest solver on each instance. */
        PERFORMANCE
    }

    private final Kind kind;
    private final double tau;
    private final int instances;
    private final Map<String, double[]> sortedCosts;

    Profile(Kind kind, double tau, int instances, Map<String, double[]> costs) {
        this.kind = kind;
        this.tau = tau;
        this.instances = instances;
        this.sortedCosts = new LinkedHashMap<>();
        costs.forEach(
                (solver, c) -> {
                    double[] sorted = c.clone();
                    Arrays.sort(sorted);
                    sortedCosts.put(solver, sorted);
                });
    }

    /**
     * Returns the kind.
     *
     * @return data or performance
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns τ.
     *
     * @return the tolerance
     */
    public double tau() {
        return tau;
    }

    /**
     * Returns |P|.
     *
     * @return the number of instances
     */
    public int instances() {
        return instances;
    }

    /**
     * Returns the solvers in table order.
     *
     * @return the solver names
     */
    public List<String> solvers() {
        return List.copyOf(sortedCosts.keySet());
    }

    /**
     * Returns the profile's value at x: the fraction of instances with cost ≤ x.
     *
     * @param solver the solver
     * @param x κ for a data profile, α for a performance profile
     * @return a fraction in [0, 1]
     */
    public double fraction(String solver, double x) {
        double[] c = costs(solver);
        int count = 0;
        while (count < c.length && c[count] <= x) {
            count++;
        }
        return (double) count / instances;
    }

    /**
     * Returns the fraction of instances the solver solved at all (the profile's limit).
     *
     * @param solver the solver
     * @return a fraction in [0, 1]
     */
    public double solvedFraction(String solver) {
        return fraction(solver, Double.MAX_VALUE);
    }

    /**
     * Returns the finite costs of a solver, ascending: the x at which its profile steps up (a cost
     * that occurs j times is a step of j/|P|).
     *
     * @param solver the solver
     * @return the finite costs, sorted; a new array
     */
    public double[] steps(String solver) {
        double[] c = costs(solver);
        int finite = 0;
        while (finite < c.length && Double.isFinite(c[finite])) {
            finite++;
        }
        return Arrays.copyOf(c, finite);
    }

    /**
     * Returns the largest finite cost over all solvers (the right end of a plot), or 1 if none.
     *
     * @return the largest finite cost
     */
    public double largestFiniteCost() {
        double largest = 1;
        for (String s : sortedCosts.keySet()) {
            double[] finite = steps(s);
            if (finite.length > 0) {
                largest = Math.max(largest, finite[finite.length - 1]);
            }
        }
        return largest;
    }

    private double[] costs(String solver) {
        double[] c = sortedCosts.get(solver);
        if (c == null) {
            throw new IllegalArgumentException("unknown solver " + solver);
        }
        return c;
    }
}

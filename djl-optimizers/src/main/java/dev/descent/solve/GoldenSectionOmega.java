package dev.descent.solve;

import java.util.Arrays;
import java.util.function.DoubleToIntFunction;

/**
 * The instance-optimal ω of a solver whose iteration count has no closed-form optimum (SSOR-PCG),
 * found as the Learning-to-Relax reference finds it (Khodak et al., ICLR 2024; {@code
 * utils/golden_section.m} and its use in {@code scripts/h2d.m} of mkhodak/learning-to-relax): a
 * coarse start grid, then golden-section steps on the bracket around its best point, N evaluations
 * in all; the answer is the midpoint of the first and the last evaluated ω (in evaluation order)
 * that reached the least count.
 *
 * <p>With the start grid g_0 &lt; … &lt; g_{n−1} and its counts f, let [l, r] be the indices one
 * either side of the first and last least f (clipped to the grid) and τ = (√5 − 1)/2. The interior
 * pair (o₁, o₂) with o₁ &lt; o₂ starts as: the two grid points inside when r − l = 3; the grid
 * point inside and a new point at g_l + τ(g_r − g_l) or g_l + (1 − τ)(g_r − g_l) (whichever lies in
 * the wider half) when r − l = 2; otherwise the two new points g_l + (1 − τ)(g_r − g_l), g_l +
 * τ(g_r − g_l). Each further evaluation i (counting from 1 over the start grid too) keeps the
 * better half: when f(o₁) &gt; f(o₂), or they tie and i is odd, the bracket becomes [o₁, right]
 * with a new o₂; otherwise [left, o₂] with a new o₁. Defaults of the reference's heat runs: the
 * start grid {1, 1.3, 1.5, 1.75, 1.95} and N = 12.
 */
public final class GoldenSectionOmega {

    /** The reference's start grid of the heat runs. */
    public static final double[] REFERENCE_START = {1.0, 1.3, 1.5, 1.75, 1.95};

    /** The reference's number of evaluations per instance. */
    public static final int REFERENCE_EVALUATIONS = 12;

    private static final double TAU = (Math.sqrt(5) - 1) / 2;

    /**
     * One search's outcome.
     *
     * @param omegas the evaluated ω, in evaluation order (the start grid first)
     * @param costs their iteration counts
     * @param omega the instance-optimal ω: the midpoint of the first and last ω of least count
     */
    public record Search(double[] omegas, int[] costs, double omega) {

        /** The least count evaluated. */
        public int leastCost() {
            return Arrays.stream(costs).min().orElseThrow();
        }
    }

    private GoldenSectionOmega() {}

    /**
     * Searches for the ω of least cost.
     *
     * @param cost the iteration count at ω
     * @param start the start grid, strictly increasing, at least 2 points
     * @param evaluations N ≥ start.length + 2 (each start point is evaluated once)
     * @return the search
     * @throws IllegalArgumentException naming the argument out of range
     */
    public static Search search(DoubleToIntFunction cost, double[] start, int evaluations) {
        int n = start.length;
        if (n < 2) {
            throw new IllegalArgumentException("start must have at least 2 points, got " + n);
        }
        for (int i = 1; i < n; i++) {
            if (!(start[i] > start[i - 1])) {
                throw new IllegalArgumentException(
                        "start must be strictly increasing, got " + Arrays.toString(start));
            }
        }
        if (evaluations < n + 2) {
            throw new IllegalArgumentException(
                    "evaluations must be >= start.length + 2 = "
                            + (n + 2)
                            + ", got "
                            + evaluations);
        }
        double[] grid = Arrays.copyOf(start, evaluations);
        int[] evals = new int[evaluations];
        for (int i = 0; i < n; i++) {
            evals[i] = cost.applyAsInt(start[i]);
        }
        int best = Integer.MAX_VALUE;
        int first = -1;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (evals[i] < best) {
                best = evals[i];
                first = i;
            }
            if (evals[i] == best) {
                last = i;
            }
        }
        int left = Math.max(0, first - 1);
        int right = Math.min(n - 1, last + 1);
        double oLeft = start[left];
        double oRight = start[right];
        double o1;
        double o2;
        int f1;
        int f2;
        int done = n;
        if (right - left == 2) {
            double centre = start[left + 1];
            int fc = evals[left + 1];
            if (oRight - centre > centre - oLeft) {
                o1 = centre;
                f1 = fc;
                o2 = oLeft + TAU * (oRight - oLeft);
                f2 = evaluate(cost, o2, grid, evals, done++);
            } else if (oRight - centre < centre - oLeft) {
                o1 = oLeft + (1 - TAU) * (oRight - oLeft);
                f1 = evaluate(cost, o1, grid, evals, done++);
                o2 = centre;
                f2 = fc;
            } else {
                o1 = oLeft + (1 - TAU) * (oRight - oLeft);
                f1 = evaluate(cost, o1, grid, evals, done++);
                o2 = oLeft + TAU * (oRight - oLeft);
                f2 = evaluate(cost, o2, grid, evals, done++);
            }
        } else if (right - left == 3) {
            o1 = start[left + 1];
            f1 = evals[left + 1];
            o2 = start[right - 1];
            f2 = evals[right - 1];
        } else {
            o1 = oLeft + (1 - TAU) * (oRight - oLeft);
            f1 = evaluate(cost, o1, grid, evals, done++);
            o2 = oLeft + TAU * (oRight - oLeft);
            f2 = evaluate(cost, o2, grid, evals, done++);
        }
        while (done < evaluations) {
            int i = done + 1; // the reference's 1-based index of this evaluation
            if (f1 > f2 || (f1 == f2 && i % 2 == 1)) {
                oLeft = o1;
                o1 = o2;
                f1 = f2;
                o2 = oLeft + TAU * (oRight - oLeft);
                f2 = evaluate(cost, o2, grid, evals, done++);
            } else {
                oRight = o2;
                o2 = o1;
                f2 = f1;
                o1 = oLeft + (1 - TAU) * (oRight - oLeft);
                f1 = evaluate(cost, o1, grid, evals, done++);
            }
        }
        int least = Arrays.stream(evals).min().orElseThrow();
        int lo = -1;
        int hi = -1;
        for (int i = 0; i < evaluations; i++) {
            if (evals[i] == least) {
                if (lo < 0) {
                    lo = i;
                }
                hi = i;
            }
        }
        return new Search(grid, evals, 0.5 * (grid[lo] + grid[hi]));
    }

    private static int evaluate(
            DoubleToIntFunction cost, double omega, double[] grid, int[] evals, int at) {
        grid[at] = omega;
        evals[at] = cost.applyAsInt(omega);
        return evals[at];
    }
}

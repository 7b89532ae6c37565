package dev.descent.surrogate.baseline;

import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.IterativeSolver;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.StepKind;
import dev.descent.surrogate.TrialEvaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The random line-search baseline: each iteration draws 2 random directions u (‖u‖∞ = 1) and tries
 * x + m·r·u for m ∈ {1.1, 1, 1/1.1}, opportunistically. Success: x moves, r ← clamp(‖d‖∞) of the
 * accepted step, the stall count resets. Failure: the stall count grows and, once it exceeds n + 1,
 * r ← max(r_min, r/1.3) on every further failure. Stops when r ≤ r_min.
 *
 * <p>Reference: {@code optim_random_line_searches} of PierreYvesBouchet/Optimization-by-
 * Directional-Attacks, arXiv:2510.01461 (r starts at r₀, r_min = 1e-5, r_max = ∞); the same
 * defaults here.
 *
 * <p>Deviations from the reference: the speculative line search (off there) is omitted.
 */
public final class RandomLineSearch extends IterativeSolver {

    /** Directions per iteration. */
    public static final int DIRECTIONS = 2;

    /** Step multipliers tried along each direction. */
    private static final double[] MULTIPLIERS = {1.1, 1, 1 / 1.1};

    /** Divisor of r after a stall. */
    public static final double SHRINK = 1.3;

    private final RadiusRule radii;

    /**
     * Creates the solver.
     *
     * @param radii [r_min, r_max]
     */
    public RandomLineSearch(RadiusRule radii) {
        this.radii = radii;
    }

    /**
     * Returns the reference's configuration, r ∈ [1e-5, ∞).
     *
     * @return the solver
     */
    public static RandomLineSearch defaults() {
        return new RandomLineSearch(new RadiusRule(1e-5, Double.POSITIVE_INFINITY));
    }

    @Override
    public String name() {
        return "random-line-search";
    }

    @Override
    protected Run start(Evaluator evaluator, Evaluation start, Random random) {
        int n = start.x().length;
        return new Run() {
            Evaluation x = start;
            double r = radii.clamp(evaluator.problem().initialRadius());
            int stalls;

            @Override
            public boolean iterate() {
                List<double[]> trials = new ArrayList<>();
                for (int k = 0; k < DIRECTIONS; k++) {
                    double[] u = Directions.unitInfinity(n, random);
                    for (double m : MULTIPLIERS) {
                        double[] d = u.clone();
                        for (int i = 0; i < n; i++) {
                            d[i] *= m * r;
                        }
                        trials.add(Directions.add(x.x(), d));
                    }
                }
                Optional<Evaluation> found =
                        TrialEvaluation.OPPORTUNISTIC.improve(
                                evaluator, x, trials, StepKind.LINE_SEARCH);
                if (found.isPresent()) {
                    double step = 0;
                    for (int i = 0; i < n; i++) {
                        step = Math.max(step, Math.abs(found.get().x()[i] - x.x()[i]));
                    }
                    x = found.get();
                    evaluator.accept(x);
                    r = radii.clamp(step);
                    stalls = 0;
                } else {
                    stalls++;
                    if (stalls > n + 1) {
                        r = radii.shrink(r, SHRINK);
                    }
                }
                return !radii.atMinimum(r);
            }
        };
    }
}

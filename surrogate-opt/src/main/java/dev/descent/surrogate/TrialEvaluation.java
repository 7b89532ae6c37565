package dev.descent.surrogate;

import java.util.List;
import java.util.Optional;

/** How a set of trial points is evaluated against the incumbent. */
public enum TrialEvaluation {
    /**
     * One point at a time, in order, stopping at the first improvement (the reference's
     * opportunistic evaluation; one surrogate call per point).
     */
    OPPORTUNISTIC,
    /**
     * All points in one batched surrogate call; the best improving point is taken (the first on
     * ties). Costs the whole set even when its first point improves.
     */
    BATCH;

    /**
     * Evaluates trial points and returns an improvement on the incumbent under the problem's
     * constraint handling.
     *
     * @param evaluator the run's evaluator
     * @param incumbent the current point
     * @param points the trials, each of length n; not modified
     * @param step the step asking
     * @return the improving point, or empty
     * @throws BudgetExhaustedException if the budget runs out before any trial is evaluated
     */
    public Optional<Evaluation> improve(
            Evaluator evaluator, Evaluation incumbent, List<double[]> points, StepKind step) {
        ConstraintHandling handling = evaluator.problem().constraintHandling();
        if (this == OPPORTUNISTIC) {
            for (double[] x : points) {
                Evaluation e = evaluator.evaluate(x, step);
                if (handling.improves(e, incumbent)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
        Evaluation best = incumbent;
        for (Evaluation e : evaluator.evaluateAll(points, step)) {
            if (handling.improves(e, best)) {
                best = e;
            }
        }
        return best == incumbent ? Optional.empty() : Optional.of(best);
    }
}

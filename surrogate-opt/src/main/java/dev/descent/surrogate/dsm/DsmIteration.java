package dev.descent.surrogate.dsm;

import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.RadiusRule;
import dev.descent.surrogate.StepKind;
import dev.descent.surrogate.TrialEvaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One cDSM iteration, each step tried only if the previous one failed:
 *
 * <pre>
 *   covering: x + CoveringStep(r₀)            success → accept, radius unchanged
 *   search:   x + SearchStep(ρ_k) (optional)  success → accept, radius unchanged (×2 if growOnSearch)
 *   poll:     x + d, d ∈ poll(radius)         success → accept, radius ← min(r_max, 2·radius)
 *   failure:                                  radius ← max(r_min, radius/2)
 * </pre>
 *
 * With {@code skipAtMinimum} the search and poll are skipped while radius ≤ r_min (the hybrid's
 * rule: the attack still moves the iterate).
 *
 * @param coveringRadius r₀ of the covering step and the search radius sequence
 * @param radii the bounds of the poll radius
 * @param poll the poll set
 * @param evaluation how the poll set is evaluated
 * @param search whether the search step runs
 * @param growOnSearch whether a successful search doubles the radius (the reference hybrid does,
 *     its cDSM does not)
 * @param skipAtMinimum whether search and poll are skipped at the minimum radius
 */
public record DsmIteration(
        double coveringRadius,
        RadiusRule radii,
        PollDirections poll,
        TrialEvaluation evaluation,
        boolean search,
        boolean growOnSearch,
        boolean skipAtMinimum) {

    /** Radius factor on poll success and failure. */
    public static final double POLL_FACTOR = 2;

    /**
     * The state between iterations.
     *
     * @param incumbent the current iterate
     * @param radius the poll radius r_dsm
     * @param searches searches made so far (k of the search radius)
     * @param success the step that moved the iterate in the last iteration, or null on failure
     */
    public record State(Evaluation incumbent, double radius, int searches, StepKind success) {

        /**
         * Returns the state after replacing the radius (the hybrid's adjustments).
         *
         * @param r the new radius
         * @return the new state
         */
        public State withRadius(double r) {
            return new State(incumbent, r, searches, success);
        }

        /**
         * Returns the state after replacing the incumbent (the hybrid's attack moves).
         *
         * @param e the new incumbent
         * @return the new state
         */
        public State withIncumbent(Evaluation e) {
            return new State(e, radius, searches, success);
        }
    }

    /**
     * Returns the first state of a run.
     *
     * @param start the accepted start point
     * @param radius the initial poll radius
     * @return the state
     */
    public State initial(Evaluation start, double radius) {
        return new State(start, radius, 0, null);
    }

    /**
     * Performs one iteration; accepted points are marked in the evaluator's history.
     *
     * @param s the state before
     * @param evaluator the run's evaluator
     * @param random the run's source; modified
     * @return the state after
     */
    public State next(State s, Evaluator evaluator, Random random) {
        ConstraintHandling handling = evaluator.problem().constraintHandling();
        Evaluation x = s.incumbent();
        int n = x.x().length;
        Evaluation covering =
                evaluator.evaluate(
                        Directions.add(x.x(), CoveringStep.direction(n, coveringRadius, random)),
                        StepKind.COVERING);
        if (handling.improves(covering, x)) {
            evaluator.accept(covering);
            return new State(covering, s.radius(), s.searches(), StepKind.COVERING);
        }
        boolean skip = skipAtMinimum && radii.atMinimum(s.radius());
        int searches = s.searches();
        if (search && !skip) {
            double rho = SearchStep.radius(coveringRadius, searches, radii.max());
            searches++;
            Evaluation trial =
                    evaluator.evaluate(
                            Directions.add(x.x(), SearchStep.direction(n, rho, random)),
                            StepKind.SEARCH);
            if (handling.improves(trial, x)) {
                evaluator.accept(trial);
                double r = growOnSearch ? radii.grow(s.radius(), POLL_FACTOR) : s.radius();
                return new State(trial, r, searches, StepKind.SEARCH);
            }
        }
        if (!skip) {
            List<double[]> points = new ArrayList<>();
            for (double[] d : poll.directions(n, s.radius(), random)) {
                points.add(Directions.add(x.x(), d));
            }
            Optional<Evaluation> polled = evaluation.improve(evaluator, x, points, StepKind.POLL);
            if (polled.isPresent()) {
                evaluator.accept(polled.get());
                return new State(
                        polled.get(), radii.grow(s.radius(), POLL_FACTOR), searches, StepKind.POLL);
            }
        }
        return new State(x, radii.shrink(s.radius(), POLL_FACTOR), searches, null);
    }
}

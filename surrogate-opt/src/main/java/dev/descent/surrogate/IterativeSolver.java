package dev.descent.surrogate;

import java.util.Objects;
import java.util.Random;

/**
 * The loop shared by the iterative solvers: evaluate and accept the start point, then iterate until
 * the budget is spent ({@link ExitStatus#BUDGET}, also when a step finds no budget left), the run
 * reports its radii at their minimum ({@link ExitStatus#RADIUS_BELOW_MINIMUM}), the iteration limit
 * ({@link ExitStatus#ITERATION_LIMIT}) or the time limit ({@link ExitStatus#TIME}), checked in that
 * order after each iteration as in the reference.
 */
public abstract class IterativeSolver implements SurrogateSolver {

    /** The state of one run of an iterative solver. */
    protected interface Run {

        /**
         * Performs one iteration.
         *
         * @return false when the radii are at their minimum and the run should stop
         * @throws BudgetExhaustedException when a step has no budget left
         */
        boolean iterate();
    }

    /** Creates a solver. */
    protected IterativeSolver() {}

    /**
     * Starts a run from the evaluated and accepted start point.
     *
     * @param evaluator the run's evaluator
     * @param start the start point's evaluation
     * @param random the run's source of randomness, seeded by {@link #solve}
     * @return the run
     */
    protected abstract Run start(Evaluator evaluator, Evaluation start, Random random);

    @Override
    public final SurrogateResult solve(SurrogateProblem problem, Limits limits, long seed) {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(limits, "limits");
        Evaluator evaluator = new Evaluator(problem, limits);
        long iterations = 0;
        ExitStatus status;
        try {
            Evaluation x0 = evaluator.evaluate(problem.start(), StepKind.START);
            evaluator.accept(x0);
            Run run = start(evaluator, x0, new Random(seed));
            while (true) {
                boolean proceed = run.iterate();
                iterations++;
                if (evaluator.exhausted()) {
                    status = ExitStatus.BUDGET;
                    break;
                }
                if (!proceed) {
                    status = ExitStatus.RADIUS_BELOW_MINIMUM;
                    break;
                }
                if (iterations >= limits.iterations()) {
                    status = ExitStatus.ITERATION_LIMIT;
                    break;
                }
                if (evaluator.timeUp()) {
                    status = ExitStatus.TIME;
                    break;
                }
            }
        } catch (BudgetExhaustedException e) {
            status = ExitStatus.BUDGET;
        }
        return evaluator.finish(name(), status, iterations);
    }
}

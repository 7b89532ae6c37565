package dev.descent.surrogate;

import java.util.Objects;
import java.util.Random;

/**
 * The loop shared by the iterative solvers: evaluate and accept the start point, then iterate until
 * the budget is spent ({@link ExitStatus#BUDGET}, also when a step finds no budget left), the local
 * run reports its radii at their minimum, the iteration limit ({@link ExitStatus#ITERATION_LIMIT})
 * or the time limit ({@link ExitStatus#TIME}), checked in that order after each iteration as in the
 * reference.
 *
 * <p>When the radii are at their minimum, the solver's {@link RestartStrategy} decides: {@link
 * RestartStrategy#NONE} stops with {@link ExitStatus#RADIUS_BELOW_MINIMUM}; otherwise a new local
 * run starts ({@link #start} again, radii at r₀) from the strategy's point, the restart is recorded
 * in the {@link History}, and iterations and limits continue to count across runs. The solver stops
 * with {@link ExitStatus#RADIUS_BELOW_MINIMUM} after all when a local run evaluated no new point
 * (every trial was already in the cache, e.g. on a box of width 0), since the next one could not
 * either. The same seed gives the same runs and restarts.
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

    private final RestartStrategy restarts;

    /**
     * Creates a solver that stops when its radii reach their minimum ({@link
     * RestartStrategy#NONE}).
     */
    protected IterativeSolver() {
        this(RestartStrategy.NONE);
    }

    /**
     * Creates a solver with a restart strategy.
     *
     * @param restarts what to do when the radii reach their minimum with budget left
     */
    protected IterativeSolver(RestartStrategy restarts) {
        this.restarts = Objects.requireNonNull(restarts, "restarts");
    }

    /**
     * Returns what the solver does when its radii reach their minimum with budget left.
     *
     * @return the strategy
     */
    public RestartStrategy restarts() {
        return restarts;
    }

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
            Random random = new Random(seed);
            Run run = start(evaluator, x0, random);
            int runStart = evaluator.history().size();
            while (true) {
                boolean proceed = run.iterate();
                iterations++;
                if (evaluator.exhausted()) {
                    status = ExitStatus.BUDGET;
                    break;
                }
                if (!proceed) {
                    if (restarts == RestartStrategy.NONE
                            || evaluator.history().size() == runStart) {
                        status = ExitStatus.RADIUS_BELOW_MINIMUM;
                        break;
                    }
                    run = restart(evaluator, random);
                    runStart = evaluator.history().size();
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

    private Run restart(Evaluator evaluator, Random random) {
        History history = evaluator.history();
        int index = history.size();
        long passes = evaluator.forwardPasses();
        Evaluation from = restarts.restartPoint(evaluator, random);
        history.addRestart(
                new History.Restart(index, passes, from.index(), ExitStatus.RADIUS_BELOW_MINIMUM));
        return start(evaluator, from, random);
    }
}

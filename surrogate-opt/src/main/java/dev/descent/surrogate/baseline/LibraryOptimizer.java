package dev.descent.surrogate.baseline;

import dev.descent.surrogate.BudgetExhaustedException;
import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.ExitStatus;
import dev.descent.surrogate.Limits;
import dev.descent.surrogate.StepKind;
import dev.descent.surrogate.SurrogateProblem;
import dev.descent.surrogate.SurrogateResult;
import dev.descent.surrogate.SurrogateSolver;
import java.util.Objects;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;

/**
 * A library optimizer (Hipparchus) behind {@link SurrogateSolver}: it maximizes the handling's
 * scalar {@link ConstraintHandling#merit} (f − s·h for the penalty, f − h for the barriers) through
 * the run's {@link Evaluator}, one point per objective call ({@link StepKind#LIBRARY}). The budget,
 * time and iteration limits end the library's run from inside the objective; its own convergence
 * maps to {@link ExitStatus#RADIUS_BELOW_MINIMUM}, its numerical failures (Hipparchus' {@link
 * MathIllegalStateException}, e.g. an eigendecomposition that does not converge) to {@link
 * ExitStatus#NUMERICAL_FAILURE}. The history marks the start and the best point as accepted (the
 * library's iterates are not visible).
 */
abstract class LibraryOptimizer implements SurrogateSolver {

    /** Thrown from the objective to end the library's run on a limit other than the budget. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ExitStatus status;

        Stop(ExitStatus status) {
            super(status.name(), null, false, false);
            this.status = status;
        }
    }

    /**
     * Thrown by {@link #optimize} when the library failed numerically, with the iterations it had
     * completed.
     */
    protected static final class NumericalFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long iterations;

        /**
         * Wraps the library's exception.
         *
         * @param iterations the library's iterations before the failure
         * @param cause the library's exception
         */
        protected NumericalFailure(long iterations, MathIllegalStateException cause) {
            super(cause.getMessage(), cause, false, false);
            this.iterations = iterations;
        }
    }

    /**
     * Runs the library optimizer on an objective.
     *
     * @param problem the problem
     * @param limits the limits
     * @param seed the seed
     * @param objective the counted objective (maximize)
     * @return the library's iteration count when it stopped by itself (the run's status is {@link
     *     ExitStatus#ITERATION_LIMIT} if it reached the limit, else {@link
     *     ExitStatus#RADIUS_BELOW_MINIMUM})
     * @throws NumericalFailure (or the library's {@link MathIllegalStateException}) when the
     *     library failed numerically
     */
    protected abstract long optimize(
            SurrogateProblem problem, Limits limits, long seed, ObjectiveFunction objective);

    @Override
    public final SurrogateResult solve(SurrogateProblem problem, Limits limits, long seed) {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(limits, "limits");
        checkProblem(problem);
        Evaluator evaluator = new Evaluator(problem, limits);
        ConstraintHandling handling = problem.constraintHandling();
        ExitStatus status;
        long[] iterations = {0};
        long[] calls = {0};
        try {
            evaluator.accept(evaluator.evaluate(problem.start(), StepKind.START));
            ObjectiveFunction objective =
                    new ObjectiveFunction(
                            x -> {
                                if (evaluator.timeUp()) {
                                    throw new Stop(ExitStatus.TIME);
                                }
                                if (callsAreIterations() && calls[0] >= limits.iterations()) {
                                    throw new Stop(ExitStatus.ITERATION_LIMIT);
                                }
                                calls[0]++;
                                return handling.merit(evaluator.evaluate(x, StepKind.LIBRARY));
                            });
            iterations[0] = optimize(problem, limits, seed, objective);
            status =
                    iterations[0] >= limits.iterations()
                            ? ExitStatus.ITERATION_LIMIT
                            : ExitStatus.RADIUS_BELOW_MINIMUM;
        } catch (BudgetExhaustedException e) {
            status = ExitStatus.BUDGET;
        } catch (Stop e) {
            status = e.status;
        } catch (NumericalFailure e) {
            status = ExitStatus.NUMERICAL_FAILURE;
            iterations[0] = e.iterations;
        } catch (MathIllegalStateException e) {
            status = ExitStatus.NUMERICAL_FAILURE;
        }
        if (callsAreIterations()) {
            iterations[0] = calls[0];
        }
        evaluator.history().best(handling).ifPresent(evaluator::accept);
        return evaluator.finish(name(), status, iterations[0]);
    }

    /**
     * Returns whether each objective call counts as one iteration (for libraries without their own
     * iteration count); the run then stops with {@link ExitStatus#ITERATION_LIMIT} on the call
     * after the limit.
     *
     * @return true to count calls as iterations
     */
    protected boolean callsAreIterations() {
        return false;
    }

    /**
     * Rejects problems the library cannot take.
     *
     * @param problem the problem
     * @throws IllegalArgumentException with the reason
     */
    protected void checkProblem(SurrogateProblem problem) {}

    /**
     * Returns the iteration limit as an int for the library.
     *
     * @param limits the limits
     * @return min(iterations, Integer.MAX_VALUE)
     */
    static int intIterations(Limits limits) {
        return (int) Math.min(Integer.MAX_VALUE, limits.iterations());
    }
}

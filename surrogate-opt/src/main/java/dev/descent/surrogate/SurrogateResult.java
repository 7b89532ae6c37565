package dev.descent.surrogate;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of a run.
 *
 * @param solver the solver's {@link SurrogateSolver#name()}
 * @param status why the run stopped
 * @param best the best evaluated point under the problem's constraint handling
 * @param bestFeasible the feasible point of largest f, if any was evaluated
 * @param history every evaluated point
 * @param forwardPasses surrogate forward passes spent (points evaluated plus the forward pass of
 *     every derivative)
 * @param iterations iterations completed
 * @param elapsed wall-clock time of the run
 */
public record SurrogateResult(
        String solver,
        ExitStatus status,
        Evaluation best,
        Optional<Evaluation> bestFeasible,
        History history,
        long forwardPasses,
        long iterations,
        Duration elapsed) {}

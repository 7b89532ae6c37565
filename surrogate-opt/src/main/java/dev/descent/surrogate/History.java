package dev.descent.surrogate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every point a run evaluated, in order, with the step that produced it and whether the algorithm
 * accepted it as its new iterate (the start point is accepted). Cache hits are not repeated.
 *
 * <p>Written by one {@link Evaluator}; read it after the run from {@link
 * SurrogateResult#history()}.
 */
public final class History {

    /**
     * One row of the history.
     *
     * @param evaluation the evaluated point
     * @param accepted whether the algorithm moved to it
     */
    public record Entry(Evaluation evaluation, boolean accepted) {}

    /**
     * A restart of an {@link IterativeSolver}: the local run before it met {@code reason}, and a
     * new local run began from the point {@code start}.
     *
     * @param index the number of points evaluated before the restart: the index of the first point
     *     the new local run evaluates
     * @param forwardPasses the forward passes spent before the restart
     * @param start the index of the new local run's start point (below {@code index} for {@link
     *     RestartStrategy#FROM_BEST}, equal to it for {@link RestartStrategy#RANDOM_START})
     * @param reason the stopping test the previous local run met ({@link
     *     ExitStatus#RADIUS_BELOW_MINIMUM})
     */
    public record Restart(int index, long forwardPasses, int start, ExitStatus reason) {}

    private final List<Evaluation> evaluations = new ArrayList<>();
    private final BitSet accepted = new BitSet();
    private final List<Restart> restarts = new ArrayList<>();

    History() {}

    void addRestart(Restart restart) {
        restarts.add(restart);
    }

    void add(Evaluation e) {
        evaluations.add(e);
    }

    void markAccepted(int index) {
        accepted.set(index);
    }

    /**
     * Returns the number of evaluated points.
     *
     * @return the size
     */
    public int size() {
        return evaluations.size();
    }

    /**
     * Returns the evaluated points in order.
     *
     * @return an unmodifiable view
     */
    public List<Evaluation> evaluations() {
        return Collections.unmodifiableList(evaluations);
    }

    /**
     * Returns whether the point with this index was accepted.
     *
     * @param index the index, in [0, size())
     * @return true if accepted
     */
    public boolean accepted(int index) {
        return accepted.get(index);
    }

    /**
     * Returns the restarts, in order (empty when the run never restarted).
     *
     * @return an unmodifiable view
     */
    public List<Restart> restarts() {
        return Collections.unmodifiableList(restarts);
    }

    /**
     * Returns the local run a point belongs to: the number of restarts before it (0 for a run that
     * never restarted). The start point of a {@link RestartStrategy#RANDOM_START} restart belongs
     * to the run it starts.
     *
     * @param index the point's index, in [0, size())
     * @return the run, from 0
     */
    public int run(int index) {
        int run = 0;
        while (run < restarts.size() && restarts.get(run).index() <= index) {
            run++;
        }
        return run;
    }

    /**
     * Returns the rows (point and acceptance) in order.
     *
     * @return a new list
     */
    public List<Entry> entries() {
        List<Entry> rows = new ArrayList<>(evaluations.size());
        for (Evaluation e : evaluations) {
            rows.add(new Entry(e, accepted.get(e.index())));
        }
        return rows;
    }

    /**
     * Returns, after each evaluation, the best feasible objective so far (−∞ before the first
     * feasible point): the non-decreasing curve of data profiles.
     *
     * @return one value per evaluated point
     */
    public double[] bestFeasibleObjective() {
        double[] best = new double[evaluations.size()];
        double b = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < best.length; i++) {
            Evaluation e = evaluations.get(i);
            if (e.feasible() && e.objective() > b) {
                b = e.objective();
            }
            best[i] = b;
        }
        return best;
    }

    /**
     * Returns the feasible point of largest objective (the first one on ties).
     *
     * @return the point, or empty if none is feasible
     */
    public Optional<Evaluation> bestFeasible() {
        Evaluation best = null;
        for (Evaluation e : evaluations) {
            if (e.feasible() && (best == null || e.objective() > best.objective())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns the best point under a constraint handling (the first one on ties).
     *
     * @param handling the comparison
     * @return the best point, or empty for an empty history
     */
    public Optional<Evaluation> best(ConstraintHandling handling) {
        Evaluation best = null;
        for (Evaluation e : evaluations) {
            if (best == null || handling.improves(e, best)) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }
}

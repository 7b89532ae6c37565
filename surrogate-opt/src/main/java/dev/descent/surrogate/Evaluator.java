package dev.descent.surrogate;

import dev.descent.onnx.Surrogate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The only path from a solver to the surrogate: projects points onto the bounds, evaluates f and c
 * on Φ's output, caches evaluated points, records the {@link History}, and enforces the budget.
 *
 * <p>Counting: {@link #forwardPasses()} is the surrogate's own evaluation counter since this
 * evaluator was made, so every point of a batch, the forward pass of each exact derivative and each
 * probe of an estimated one are counted. A batch ({@link #evaluateAll}) is one surrogate call. A
 * cached point costs nothing and is not added to the history again.
 *
 * <p>Budget: a call that needs the surrogate when {@link #remaining()} is 0 throws {@link
 * BudgetExhaustedException}; a batch is cut to the remaining budget. A derivative is charged what
 * the surrogate counts (1 per point when exact, 2n per point for central differences), so an
 * estimated derivative may overshoot the budget by its probe count.
 *
 * <p>One evaluator per run; not thread-safe.
 */
public final class Evaluator {

    private final SurrogateProblem problem;
    private final Surrogate surrogate;
    private final Limits limits;
    private final long baseCount;
    private final long startNanos;
    private final History history = new History();
    private final Map<Key, Evaluation> cache = new HashMap<>();
    private long cacheHits;

    /** A point as a cache key, compared by value. */
    private record Key(double[] x) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(x, k.x);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(x);
        }
    }

    /**
     * Creates an evaluator; the clock and the forward-pass count start now.
     *
     * @param problem the problem
     * @param limits the budget and time limit
     */
    public Evaluator(SurrogateProblem problem, Limits limits) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.surrogate = problem.surrogate();
        this.baseCount = surrogate.evaluations();
        this.startNanos = System.nanoTime();
    }

    /**
     * Returns the problem.
     *
     * @return the problem
     */
    public SurrogateProblem problem() {
        return problem;
    }

    /**
     * Evaluates one point (projected onto the bounds), from the cache when it was seen before.
     *
     * @param x the point, length n; not modified
     * @param step the step asking
     * @return the evaluation
     * @throws BudgetExhaustedException if the point is new and no budget is left
     */
    public Evaluation evaluate(double[] x, StepKind step) {
        List<Evaluation> one = evaluateAll(List.of(x), step);
        if (one.isEmpty()) {
            throw new BudgetExhaustedException(limits.evaluations());
        }
        return one.get(0);
    }

    /**
     * Evaluates points (each projected onto the bounds) with one surrogate call for the new ones,
     * in order; when the budget cannot cover every new point, the result stops before the first new
     * point beyond it.
     *
     * @param points the points, each of length n; not modified
     * @param step the step asking
     * @return the evaluations, in the order of points, possibly fewer
     * @throws BudgetExhaustedException if the first new point finds no budget left
     */
    public List<Evaluation> evaluateAll(List<double[]> points, StepKind step) {
        int n = problem.dimension();
        List<Key> keys = new ArrayList<>(points.size());
        List<Key> fresh = new ArrayList<>();
        long room = remaining();
        int usable = points.size();
        for (int i = 0; i < points.size(); i++) {
            double[] x = points.get(i);
            if (x.length != n) {
                throw new IllegalArgumentException(
                        "point has length " + x.length + ", the problem's dimension is " + n);
            }
            Key key = new Key(problem.project(x));
            if (!cache.containsKey(key) && !fresh.contains(key)) {
                if (fresh.size() == room) {
                    usable = i;
                    break;
                }
                fresh.add(key);
            }
            keys.add(key);
        }
        if (usable == 0 && !points.isEmpty()) {
            throw new BudgetExhaustedException(limits.evaluations());
        }
        if (!fresh.isEmpty()) {
            double[][] rows = new double[fresh.size()][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = fresh.get(r).x();
            }
            long before = surrogate.evaluations();
            double[][] outputs = surrogate.evaluate(rows);
            long charged = surrogate.evaluations() - before;
            for (int r = 0; r < rows.length; r++) {
                record(
                        fresh.get(r),
                        outputs[r],
                        step,
                        before - baseCount + charged * (r + 1) / rows.length);
            }
        }
        List<Evaluation> result = new ArrayList<>(keys.size());
        for (Key key : keys) {
            result.add(cache.get(key));
        }
        cacheHits += keys.size() - fresh.size();
        return result;
    }

    private void record(Key key, double[] y, StepKind step, long passes) {
        double f = problem.objective().value(y);
        List<OutputFunction> cs = problem.constraints();
        double[] c = new double[cs.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = cs.get(i).value(y);
        }
        Evaluation e =
                new Evaluation(
                        history.size(),
                        key.x(),
                        y.clone(),
                        f,
                        c,
                        Evaluation.violationOf(c),
                        step,
                        passes);
        history.add(e);
        cache.put(key, e);
    }

    /**
     * Returns Jᵀu at x, the input gradient of ⟨u, Φ(x)⟩, charged what the surrogate counts.
     *
     * @param x the point, length n; not modified
     * @param u the output cotangent, length m; not modified
     * @return Jᵀu, length n
     * @throws BudgetExhaustedException if no budget is left
     */
    public double[] vectorJacobianProduct(double[] x, double[] u) {
        if (remaining() <= 0) {
            throw new BudgetExhaustedException(limits.evaluations());
        }
        return surrogate.vectorJacobianProduct(new double[][] {x}, new double[][] {u})[0];
    }

    /**
     * Returns the input gradient of the handling's merit at an evaluated point: Jᵀu with u = {@link
     * ConstraintHandling#cotangent} (u = ∇f(Φ(x)) without violated constraints).
     *
     * @param at the point
     * @return the gradient, length n
     * @throws BudgetExhaustedException if no budget is left
     */
    public double[] meritGradient(Evaluation at) {
        return vectorJacobianProduct(at.x(), problem.constraintHandling().cotangent(problem, at));
    }

    /**
     * Marks a point as accepted by the algorithm.
     *
     * @param e a point this evaluator evaluated
     */
    public void accept(Evaluation e) {
        history.markAccepted(e.index());
    }

    /**
     * Returns the forward passes spent so far.
     *
     * @return the count
     */
    public long forwardPasses() {
        return surrogate.evaluations() - baseCount;
    }

    /**
     * Returns the budget left, never negative.
     *
     * @return budget − forward passes, at least 0
     */
    public long remaining() {
        return Math.max(0, limits.evaluations() - forwardPasses());
    }

    /**
     * Returns whether the budget is spent.
     *
     * @return true when nothing remains
     */
    public boolean exhausted() {
        return remaining() == 0;
    }

    /**
     * Returns how many requested points were served from the cache.
     *
     * @return the cache hits
     */
    public long cacheHits() {
        return cacheHits;
    }

    /**
     * Returns the time since this evaluator was made.
     *
     * @return the elapsed time
     */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Returns whether the time limit has passed.
     *
     * @return true when out of time
     */
    public boolean timeUp() {
        return System.nanoTime() - startNanos >= limits.time().toNanos();
    }

    /**
     * Returns the history so far.
     *
     * @return the live history
     */
    public History history() {
        return history;
    }

    /**
     * Builds the result of a run.
     *
     * @param solver the solver's name
     * @param status why it stopped
     * @param iterations iterations completed
     * @return the result
     */
    public SurrogateResult finish(String solver, ExitStatus status, long iterations) {
        Evaluation best =
                history.best(problem.constraintHandling())
                        .orElseThrow(() -> new IllegalStateException("no point was evaluated"));
        return new SurrogateResult(
                solver,
                status,
                best,
                history.bestFeasible(),
                history,
                forwardPasses(),
                iterations,
                elapsed());
    }
}

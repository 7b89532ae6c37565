package dev.descent.solve;

/**
 * A learner that picks one of K arms per instance, optionally given a scalar context, and is then
 * told the cost of the arm it picked (bandit feedback: the costs of the other arms stay unseen).
 * The Learning-to-Relax learners ({@link TsallisInf}, {@link TsallisInfBins}, {@link ChebCb})
 * implement it to tune a solver parameter, such as SOR's ω, across a sequence of linear systems.
 *
 * <p>Use: {@code int i = learner.select(context); double cost = run(arms[i]);
 * learner.update(cost);} — {@link #select} and {@link #update} alternate, starting with select.
 * Costs are what the solver spent, such as an iteration count; they must be finite and at least 1
 * (the reference subtracts the least possible cost, one iteration, before learning).
 */
public interface ArmLearner {

    /** The number of arms K, ≥ 1. */
    int arms();

    /**
     * Picks the arm for the next instance.
     *
     * @param context the instance's context, finite (learners without context ignore its value)
     * @return the arm's index in [0, K)
     * @throws IllegalArgumentException when the context is not finite or outside the learner's
     *     context range
     * @throws IllegalStateException when the previous pick has not been told its cost
     */
    int select(double context);

    /**
     * Tells the learner the cost of the arm it picked last.
     *
     * @param cost the cost, finite and ≥ 1
     * @throws IllegalArgumentException when the cost is not finite or below 1
     * @throws IllegalStateException when no pick awaits its cost
     */
    void update(double cost);
}

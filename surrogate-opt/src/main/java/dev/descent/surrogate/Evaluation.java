package dev.descent.surrogate;

/**
 * One evaluated point: x, the surrogate output y = Φ(x), the objective f(y), the constraint values
 * c(y) and the violation h = ‖ReLU(c)‖² = Σ max(0, c_i)².
 *
 * <p>Arrays are owned by the record and must not be modified by callers.
 *
 * @param index position in the history, from 0 (the start point)
 * @param x the point, length n
 * @param y the surrogate output, length m
 * @param objective f(y)
 * @param constraints c(y), one value per constraint (c ≤ 0 is feasible)
 * @param violation h = Σ max(0, c_i)²
 * @param step the step that produced the point
 * @param forwardPasses surrogate forward passes spent by the run when this point was evaluated,
 *     this one included (the x-axis of data profiles)
 */
public record Evaluation(
        int index,
        double[] x,
        double[] y,
        double objective,
        double[] constraints,
        double violation,
        StepKind step,
        long forwardPasses) {

    /**
     * Returns whether every constraint holds, c_i ≤ 0 (tested on c itself, so a violation too small
     * to survive squaring still counts).
     *
     * @return true when feasible
     */
    public boolean feasible() {
        for (double c : constraints) {
            if (!(c <= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns h = Σ max(0, c_i)² for constraint values c.
     *
     * @param constraints c; not modified
     * @return the violation
     */
    public static double violationOf(double[] constraints) {
        double h = 0;
        for (double c : constraints) {
            if (c > 0) {
                h += c * c;
            }
        }
        return h;
    }
}

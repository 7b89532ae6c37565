package dev.descent.surrogate.attack;

import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A black-box attack after SimBA (Guo et al. 2019, arXiv:1905.07121, with the Cartesian basis):
 * over a random order of at most {@code maxCoordinates} coordinates i, try p + r·e_i, then p −
 * r·e_i, and move p to the first that improves it (p starts at x). Every coordinate moves at most
 * once, so ‖p − x‖∞ ≤ r. Needs no derivative; costs one or two evaluations per coordinate, recorded
 * as {@link StepKind#ATTACK_PROBE}. The trial is the final p (already evaluated, so free).
 *
 * <p>Paper: arXiv:1905.07121; the directional-attacks reference (arXiv:2510.01461) names black-box
 * attacks for non-white-box Φ without implementing one.
 *
 * <p>Deviations from the reference (SimBA): improvement is measured on the problem's merit rather
 * than on a class probability, and the step is r rather than a fixed ε.
 */
public final class CoordinateTrialAttack implements DirectionalAttack {

    private final int maxCoordinates;

    /**
     * Creates the attack.
     *
     * @param maxCoordinates the most coordinates tried per radius, ≥ 1 (capped at n)
     * @throws IllegalArgumentException if maxCoordinates &lt; 1
     */
    public CoordinateTrialAttack(int maxCoordinates) {
        if (maxCoordinates < 1) {
            throw new IllegalArgumentException(
                    "maxCoordinates must be >= 1, got " + maxCoordinates);
        }
        this.maxCoordinates = maxCoordinates;
    }

    @Override
    public String name() {
        return "simba";
    }

    @Override
    public List<double[]> trials(
            Evaluator evaluator, Evaluation at, double[] radii, Random random) {
        ConstraintHandling handling = evaluator.problem().constraintHandling();
        int n = at.x().length;
        List<double[]> trials = new ArrayList<>(radii.length);
        for (double r : radii) {
            int[] order = permutation(n, random);
            Evaluation p = at;
            for (int k = 0; k < Math.min(n, maxCoordinates); k++) {
                int i = order[k];
                for (double sign : new double[] {1, -1}) {
                    double[] q = p.x().clone();
                    q[i] = at.x()[i] + sign * r;
                    Evaluation e = evaluator.evaluate(q, StepKind.ATTACK_PROBE);
                    if (handling.improves(e, p)) {
                        p = e;
                        break;
                    }
                }
            }
            if (p != at) {
                trials.add(p.x());
            }
        }
        return trials;
    }

    /** Returns a uniformly random permutation of 0..n−1 (Fisher–Yates). */
    static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

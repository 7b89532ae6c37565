package dev.descent.surrogate.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.descent.surrogate.ConstraintHandling;
import dev.descent.surrogate.Directions;
import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.Limits;
import dev.descent.surrogate.MlpSurrogate;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.StepKind;
import dev.descent.surrogate.SurrogateProblem;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Attacks on a linear network Φ(x) = A x + b, where Jᵀu = Aᵀu exactly. */
class AttackOperatorTest {

    /** Float64 rounding of the finite-difference estimate on a linear map. */
    private static final double F64_TOLERANCE = 1e-9;

    private static final double[][] A = {{1, -2, 0.5}, {0.3, 1, -1}};
    private static final double[] B = {0.1, -0.2};
    private static final double[] W = {1, 2};
    private static final double[] X = {0.1, 0.2, -0.3};
    private static final double R = 0.05;

    private static Evaluator evaluator(OutputFunction objective, ConstraintHandling handling) {
        SurrogateProblem.Builder b =
                SurrogateProblem.builder(MlpSurrogate.linear(A, B))
                        .setStart(X)
                        .setObjective(objective)
                        .optConstraintHandling(handling);
        return new Evaluator(b.build(), Limits.ofEvaluations(1000));
    }

    private static double[] expectedSignStep(double[] u) {
        double[] g = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            for (int j = 0; j < u.length; j++) {
                g[i] += A[j][i] * u[j];
            }
        }
        return Directions.signStep(X, g, R);
    }

    @Test
    void directAttackIsRTimesSignOfATransposeU() {
        Evaluator evaluator = evaluator(OutputFunction.linear(W, 0), ConstraintHandling.penalty(1));
        Evaluation at = evaluator.evaluate(X, StepKind.START);
        List<double[]> trials =
                SignGradientAttack.direct().trials(evaluator, at, new double[] {R}, new Random(0));
        // Aᵀw = (1.6, 0, -1.5): sign 0 on the middle coordinate leaves it in place.
        assertThat(trials).hasSize(1);
        assertThat(trials.get(0)).containsExactly(expectedSignStep(W));
        assertThat(trials.get(0)).containsExactly(X[0] + R, X[1], X[2] - R);
    }

    @Test
    void crossEntropyFormCentresUAndIsAZeroStepForOneOutput() {
        Evaluator evaluator = evaluator(OutputFunction.linear(W, 0), ConstraintHandling.penalty(1));
        Evaluation at = evaluator.evaluate(X, StepKind.START);
        List<double[]> trials =
                new SignGradientAttack(SignGradientAttack.Target.CROSS_ENTROPY)
                        .trials(evaluator, at, new double[] {R}, new Random(0));
        assertThat(trials.get(0)).containsExactly(expectedSignStep(new double[] {-0.5, 0.5}));

        SurrogateProblem single =
                SurrogateProblem.builder(
                                MlpSurrogate.linear(new double[][] {A[0]}, new double[] {0}))
                        .setStart(X)
                        .setObjective(OutputFunction.component(0))
                        .build();
        Evaluator one = new Evaluator(single, Limits.ofEvaluations(10));
        Evaluation x = one.evaluate(X, StepKind.START);
        assertThat(
                        new SignGradientAttack(SignGradientAttack.Target.CROSS_ENTROPY)
                                .trials(one, x, new double[] {R}, new Random(0)))
                .isEmpty();
        assertThat(one.forwardPasses()).as("no derivative was needed").isEqualTo(1);
    }

    @Test
    void violatedConstraintsEnterTheCotangentOfThePenalty() {
        // c(y) = y₀ − (y₀(x) − 0.01): violated by 0.01 at x; u = w − 2·s·0.01·e₀ with s = 200.
        Evaluator probe = evaluator(OutputFunction.linear(W, 0), ConstraintHandling.penalty(1));
        double y0 = probe.evaluate(X, StepKind.START).y()[0];
        SurrogateProblem problem =
                SurrogateProblem.builder(MlpSurrogate.linear(A, B))
                        .setStart(X)
                        .setObjective(OutputFunction.linear(W, 0))
                        .optConstraint(OutputFunction.linear(new double[] {1, 0}, -(y0 - 0.01)))
                        .optConstraintHandling(ConstraintHandling.penalty(200))
                        .build();
        Evaluator evaluator = new Evaluator(problem, Limits.ofEvaluations(10));
        Evaluation at = evaluator.evaluate(X, StepKind.START);
        double[] u = problem.constraintHandling().cotangent(problem, at);
        assertThat(u[0]).isCloseTo(1 - 2 * 200 * 0.01, within(F64_TOLERANCE));
        assertThat(u[1]).isCloseTo(2, within(F64_TOLERANCE));
        assertThat(
                        SignGradientAttack.direct()
                                .trials(evaluator, at, new double[] {R}, new Random(0))
                                .get(0))
                .containsExactly(expectedSignStep(u));
    }

    @Test
    void pgdOnALinearNetworkReachesTheCornerOfTheBall() {
        Evaluator evaluator = evaluator(OutputFunction.linear(W, 0), ConstraintHandling.penalty(1));
        Evaluation at = evaluator.evaluate(X, StepKind.START);
        List<double[]> trials =
                ProjectedSignAttack.defaults()
                        .trials(evaluator, at, new double[] {R, 2 * R}, new Random(0));
        assertThat(trials.get(0)).containsExactly(expectedSignStep(W));
        assertThat(evaluator.forwardPasses())
                .as("start + 10 derivative passes per radius")
                .isEqualTo(1 + 2 * ProjectedSignAttack.DEFAULT_STEPS);
    }

    @Test
    void finiteDifferenceAttackMatchesTheExactSignStep() {
        double[] w = {1, 0.2};
        Evaluator evaluator = evaluator(OutputFunction.linear(w, 0), ConstraintHandling.penalty(1));
        Evaluation at = evaluator.evaluate(X, StepKind.START);
        for (FiniteDifferenceAttack.Scheme scheme : FiniteDifferenceAttack.Scheme.values()) {
            List<double[]> trials =
                    new FiniteDifferenceAttack(scheme, 1e-4)
                            .trials(evaluator, at, new double[] {R}, new Random(0));
            assertThat(trials.get(0)).containsExactly(expectedSignStep(w));
        }
        // 2n central probes; the simplex probes x + h·e_i are their upper half, cached.
        assertThat(evaluator.history().size()).isEqualTo(1 + 2 * 3);
    }

    @Test
    void coordinateTrialsStayInTheBallAndImprove() {
        Evaluator evaluator = evaluator(OutputFunction.linear(W, 0), ConstraintHandling.penalty(1));
        Evaluation at = evaluator.evaluate(X, StepKind.START);
        List<double[]> trials =
                new CoordinateTrialAttack(3).trials(evaluator, at, new double[] {R}, new Random(4));
        assertThat(trials).hasSize(1);
        double[] d = trials.get(0).clone();
        for (int i = 0; i < d.length; i++) {
            d[i] -= X[i];
        }
        assertThat(Directions.infinityNorm(d)).isCloseTo(R, within(F64_TOLERANCE));
        Evaluation trial = evaluator.evaluate(trials.get(0), StepKind.ATTACK);
        assertThat(trial.objective()).isGreaterThan(at.objective());
        assertThat(evaluator.history().size()).isLessThanOrEqualTo(1 + 2 * 3);
    }
}

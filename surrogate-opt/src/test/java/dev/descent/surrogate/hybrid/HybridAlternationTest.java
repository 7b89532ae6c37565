package dev.descent.surrogate.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.descent.surrogate.Evaluation;
import dev.descent.surrogate.Evaluator;
import dev.descent.surrogate.History;
import dev.descent.surrogate.Limits;
import dev.descent.surrogate.OutputFunction;
import dev.descent.surrogate.ScriptedSurrogate;
import dev.descent.surrogate.StepKind;
import dev.descent.surrogate.SurrogateProblem;
import dev.descent.surrogate.SurrogateResult;
import dev.descent.surrogate.attack.DirectionalAttack;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hybrid's radius and skip rules on a scripted oracle, with an attack that proposes one fresh
 * point per call and records the radius it was given.
 */
class HybridAlternationTest {

    private static final double R0 = 0.5;
    private static final double F64_TOLERANCE = 1e-12;

    /** Proposes x + (r, r) (n = 2) and records r. */
    private static final class RecordingAttack implements DirectionalAttack {
        final List<Double> radii = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public List<double[]> trials(
                Evaluator evaluator, Evaluation at, double[] rs, Random random) {
            radii.add(rs[0]);
            return List.of(new double[] {at.x()[0] + rs[0], at.x()[1] + rs[0]});
        }
    }

    private static SurrogateResult run(
            Alternation alternation, RecordingAttack attack, long iterations, double... script) {
        SurrogateProblem problem =
                SurrogateProblem.builder(new ScriptedSurrogate(2, script))
                        .setStart(new double[] {0, 0})
                        .setObjective(OutputFunction.component(0))
                        .optInitialRadius(R0)
                        .build();
        return HybridSearch.builder()
                .optAttack(attack)
                .optAlternation(alternation)
                .build()
                .solve(problem, Limits.ofEvaluations(1000).withIterations(iterations), 3);
    }

    private static List<StepKind> steps(History history) {
        return history.evaluations().stream().map(Evaluation::step).toList();
    }

    @Test
    void sufficientIncreaseSkipsCdsmSimpleIncreaseAndFailureRunIt() {
        RecordingAttack attack = new RecordingAttack();
        // start 1 | attack 2 (gain 1 ≥ 1e-3: sufficient) | attack 2.0001 (gain 5e-5: simple),
        // covering, search, poll ×3 fail | attack 1 (failure), covering, search, poll ×3 fail
        SurrogateResult result =
                run(
                        Alternation.REFERENCE,
                        attack,
                        3,
                        1,
                        2,
                        2.0001,
                        0,
                        0,
                        0,
                        0,
                        0,
                        1,
                        0,
                        0,
                        0,
                        0,
                        0);
        assertThat(steps(result.history()))
                .containsExactly(
                        StepKind.START,
                        StepKind.ATTACK,
                        StepKind.ATTACK,
                        StepKind.COVERING,
                        StepKind.SEARCH,
                        StepKind.POLL,
                        StepKind.POLL,
                        StepKind.POLL,
                        StepKind.ATTACK,
                        StepKind.COVERING,
                        StepKind.SEARCH,
                        StepKind.POLL,
                        StepKind.POLL,
                        StepKind.POLL);
        assertThat(attack.radii.get(0)).isEqualTo(R0);
        assertThat(attack.radii.get(1)).isCloseTo(R0 * 1.3, within(F64_TOLERANCE));
        assertThat(attack.radii.get(2)).isCloseTo(R0 * 1.3 * 1.1, within(F64_TOLERANCE));
        assertThat(result.best().objective()).isEqualTo(2.0001);
        assertThat(result.history().accepted(1)).isTrue();
        assertThat(result.history().accepted(2)).isTrue();
        assertThat(result.history().accepted(8)).isFalse();
    }

    @Test
    void attackRadiusShrinksBy1Point3AndIsCappedAtOne() {
        RecordingAttack attack = new RecordingAttack();
        // attack fails (0) then cDSM fails (covering, search, 3 polls), twice
        run(Alternation.REFERENCE, attack, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(attack.radii)
                .containsExactly(R0, R0 / 1.3, R0 / 1.3 / 1.3)
                .allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(1.0));

        RecordingAttack growing = new RecordingAttack();
        run(Alternation.REFERENCE, growing, 5, 1, 2, 4, 8, 16, 32);
        assertThat(growing.radii.get(4)).isEqualTo(1.0);
    }

    @Test
    void alwaysDsmRunsCdsmAfterASufficientIncrease() {
        RecordingAttack attack = new RecordingAttack();
        SurrogateResult result = run(Alternation.ALWAYS_DSM, attack, 1, 1, 2, 0, 0, 0, 0, 0);
        assertThat(steps(result.history()))
                .containsExactly(
                        StepKind.START,
                        StepKind.ATTACK,
                        StepKind.COVERING,
                        StepKind.SEARCH,
                        StepKind.POLL,
                        StepKind.POLL,
                        StepKind.POLL);
    }
}

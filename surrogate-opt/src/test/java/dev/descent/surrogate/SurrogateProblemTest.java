package dev.descent.surrogate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SurrogateProblemTest {

    private final MlpSurrogate phi = MlpSurrogate.random(1, 2, 3, 1);

    private SurrogateProblem.Builder valid() {
        return SurrogateProblem.builder(phi)
                .setStart(new double[] {0, 0})
                .setObjective(OutputFunction.component(0))
                .optBounds(new double[] {-1, -1}, new double[] {1, 1});
    }

    @Test
    void lowerAboveUpperIsRejectedNamingTheCoordinate() {
        assertThatThrownBy(
                        () -> valid().optBounds(new double[] {-1, 2}, new double[] {1, 1}).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower[1] = 2.0 > upper[1] = 1.0");
    }

    @Test
    void startOutsideTheBoundsIsRejected() {
        assertThatThrownBy(() -> valid().setStart(new double[] {0, 1.5}).build())
                .hasMessageContaining("start[1] = 1.5 outside [-1.0, 1.0]");
    }

    @Test
    void dimensionMismatchWithTheSurrogateIsRejected() {
        assertThatThrownBy(() -> valid().setStart(new double[] {0, 0, 0}).build())
                .hasMessageContaining("length 3 but the surrogate's input dimension is 2");
        assertThatThrownBy(() -> valid().optBounds(new double[] {-1}, new double[] {1, 1}).build())
                .hasMessageContaining("lengths 1 and 2");
    }

    @Test
    void missingPiecesAndBadNumbersAreRejected() {
        assertThatThrownBy(() -> valid().setObjective(null).build())
                .hasMessageContaining("objective must be set");
        assertThatThrownBy(() -> valid().setStart(new double[] {Double.NaN, 0}).build())
                .hasMessageContaining("start point must be finite");
        assertThatThrownBy(() -> valid().optInitialRadius(0))
                .hasMessageContaining("initial radius must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> ConstraintHandling.penalty(-1))
                .hasMessageContaining("penalty scale must be finite and > 0, got -1.0");
    }

    @Test
    void budgetAndLimitsBelowOneAreRejected() {
        assertThatThrownBy(() -> Limits.ofEvaluations(0))
                .hasMessageContaining("evaluation budget must be >= 1, got 0");
        assertThatThrownBy(() -> Limits.ofEvaluations(5).withIterations(0))
                .hasMessageContaining("iteration limit must be >= 1, got 0");
        assertThatThrownBy(() -> Limits.ofEvaluations(5).withTime(Duration.ZERO))
                .hasMessageContaining("time limit must be > 0");
    }

    @Test
    void defaultInitialRadiusIsATenthOfTheWidestSide() {
        assertThat(valid().build().initialRadius()).isEqualTo(0.2);
        assertThat(valid().optBounds(null, null).build().initialRadius()).isEqualTo(1);
    }
}

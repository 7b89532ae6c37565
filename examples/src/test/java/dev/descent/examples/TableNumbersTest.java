package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The number format of the result tables. */
class TableNumbersTest {

    @Test
    void smallLossesAreScientificNotZero() {
        assertThat(TableNumbers.format(1e-5)).isEqualTo("1.000e-05");
        assertThat(TableNumbers.format(-3.8e-4)).isEqualTo("-3.800e-04");
        assertThat(TableNumbers.format(0.00099)).isEqualTo("9.900e-04");
    }

    @Test
    void ordinaryValuesKeepFourDecimals() {
        assertThat(TableNumbers.format(0.1234)).isEqualTo("0.1234");
        assertThat(TableNumbers.format(0.001)).isEqualTo("0.0010");
        assertThat(TableNumbers.format(1234.5)).isEqualTo("1234.5000");
        assertThat(TableNumbers.format(2.5e7)).isEqualTo("2.500e+07");
    }

    @Test
    void specialValuesAreNamed() {
        assertThat(TableNumbers.format(Double.NaN)).isEqualTo("NaN");
        assertThat(TableNumbers.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(TableNumbers.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(TableNumbers.format(0.0)).isEqualTo("0");
    }

    @Test
    void otherDecimals() {
        assertThat(TableNumbers.format(0.512, 3)).isEqualTo("0.512");
        assertThat(TableNumbers.format(0.004, 3)).isEqualTo("4.00e-03");
        assertThatThrownBy(() -> TableNumbers.format(1, 0))
                .hasMessage("decimals must be >= 1, got 0");
    }
}

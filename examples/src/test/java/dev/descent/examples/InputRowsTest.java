package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The CSV and JSON batches of {@code descent onnx eval}. */
class InputRowsTest {

    @Test
    void csvWithoutHeaderKeepsTheFirstLineAsData() {
        InputRows rows = InputRows.parse("1, 2.5\n\n-3e-1,+4\n", "in.csv");

        assertThat(rows.rows()).isDeepEqualTo(new double[][] {{1, 2.5}, {-0.3, 4}});
        assertThat(rows.lines()).containsExactly(1, 3);
        assertThat(rows.header()).isEmpty();
    }

    @Test
    void csvHeaderIsALineWithoutNumbers() {
        InputRows rows = InputRows.parse("x0,x1\r\n1,2\r\n", "in.csv");

        assertThat(rows.header()).containsExactly("x0", "x1");
        assertThat(rows.rows()).isDeepEqualTo(new double[][] {{1, 2}});
    }

    @Test
    void emptyCsvFieldIsNamed() {
        assertThatThrownBy(() -> InputRows.parse("1,2\n3,,4\n", "in.csv"))
                .isInstanceOf(InputRows.FormatException.class)
                .hasMessage("in.csv line 2, column 3 (field 2): empty value");
    }

    @Test
    void headerOnlyIsNoRows() {
        assertThatThrownBy(() -> InputRows.parse("a,b\n", "in.csv"))
                .hasMessage("in.csv: no rows (only a header)");
    }

    @Test
    void jsonArrayOfArrays() {
        InputRows rows = InputRows.parse(" [[1, 2],\n  [3.5e0, -4]]\n", "in.json");

        assertThat(rows.rows()).isDeepEqualTo(new double[][] {{1, 2}, {3.5, -4}});
        assertThat(rows.lines()).containsExactly(1, 2);
    }

    @Test
    void jsonErrorsNameLineAndColumn() {
        assertThatThrownBy(() -> InputRows.parse("[[1, 2],\n [3, \"x\"]]", "in.json"))
                .hasMessage("in.json line 2, column 6: expected a number, found '\"x\"'");
        assertThatThrownBy(() -> InputRows.parse("[1, 2]", "in.json"))
                .hasMessage(
                        "in.json line 1, column 2: expected a row (an array of numbers), found"
                                + " '1'");
        assertThatThrownBy(() -> InputRows.parse("[[1, 2]", "in.json"))
                .hasMessage(
                        "in.json line 1, column 8: expected ',' or ']' after a row, found the"
                                + " end of the file");
    }
}

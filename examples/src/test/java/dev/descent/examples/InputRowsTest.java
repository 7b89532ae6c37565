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

    @Test
    void semicolonSeparatedRowIsNotAHeader() {
        assertThatThrownBy(() -> InputRows.parse("1;2;3;4\n", "in.csv"))
                .isInstanceOf(InputRows.FormatException.class)
                .hasMessage(
                        "in.csv line 1, column 1: the separator looks wrong: expected commas,"
                                + " found ';' in '1;2;3;4'");
        assertThatThrownBy(() -> InputRows.parse("x\ty\n1\t2\n", "in.csv"))
                .hasMessageContaining("expected commas, found tabs in 'x\ty'");
    }

    @Test
    void decimalCommasWithSemicolonsAreNamedToo() {
        assertThatThrownBy(() -> InputRows.parse("1,5;2,25\n", "in.csv"))
                .hasMessage(
                        "in.csv line 1, column 3 (field 2): '5;2' is not a number (values must"
                                + " be separated by commas, found ';')");
    }

    @Test
    void quotedCsvFieldsAreReadAndLaterColumnsStayExact() {
        InputRows rows = InputRows.parse("\"a, b\",\"c\"\"\"\n\"1\", 2\n", "in.csv");

        assertThat(rows.header()).containsExactly("a, b", "c\"");
        assertThat(rows.rows()).isDeepEqualTo(new double[][] {{1, 2}});
        assertThatThrownBy(() -> InputRows.parse("\"1\",\"2\"\"\",x\n", "in.csv"))
                .hasMessage("in.csv line 1, column 5 (field 2): '2\"' is not a number");
        assertThatThrownBy(() -> InputRows.parse("\"1\",\"2\",x\n", "in.csv"))
                .hasMessage("in.csv line 1, column 9 (field 3): 'x' is not a number");
    }

    @Test
    void unclosedQuoteIsInvalidCsv() {
        assertThatThrownBy(() -> InputRows.parse("1,2\n3,\"4\n", "in.csv"))
                .isInstanceOf(InputRows.FormatException.class)
                .hasMessageStartingWith("in.csv: not valid CSV: ")
                .hasMessageContaining("EOF reached before encapsulated token finished");
    }

    @Test
    void nonFiniteCsvValuesAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> InputRows.parse("1,2\n3,NaN\n", "in.csv"))
                .hasMessage(
                        "in.csv line 2, column 3 (field 2): 'NaN' is not a finite number; every"
                                + " input must be finite");
        assertThatThrownBy(() -> InputRows.parse("x,y\n-inf,2\n", "in.csv"))
                .hasMessageStartingWith(
                        "in.csv line 2, column 1 (field 1): '-inf' is not a finite");
        assertThatThrownBy(() -> InputRows.parse("1,2\n3, 1e400\n", "in.csv"))
                .hasMessage(
                        "in.csv line 2, column 3 (field 2): '1e400' is not a finite number"
                                + " (beyond the largest double, ±1.8e308); every input must be"
                                + " finite");
    }

    @Test
    void nonFiniteJsonValuesAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> InputRows.parse("[[1, 2],\n [NaN, 1]]", "in.json"))
                .hasMessage(
                        "in.json line 2, column 3: 'NaN' is not a finite number; every input"
                                + " must be finite");
        assertThatThrownBy(() -> InputRows.parse("[[1, -Infinity]]", "in.json"))
                .hasMessageStartingWith("in.json line 1, column 6: '-Infinity' is not a finite");
        assertThatThrownBy(() -> InputRows.parse("[[1e400, 2]]", "in.json"))
                .hasMessageStartingWith(
                        "in.json line 1, column 3: '1e400' is not a finite number (beyond");
    }

    @Test
    void jsonOtherErrorsNameTheirPlace() {
        assertThatThrownBy(() -> InputRows.parse("[[1, [2]]]", "in.json"))
                .hasMessage("in.json line 1, column 6: expected a number, found '['");
        assertThatThrownBy(() -> InputRows.parse("[[1, true]]", "in.json"))
                .hasMessage("in.json line 1, column 6: expected a number, found 'true'");
        assertThatThrownBy(() -> InputRows.parse("[[1,,2]]", "in.json"))
                .hasMessage("in.json line 1, column 5: expected a number, found ','");
        assertThatThrownBy(() -> InputRows.parse("[[1, 2]]\n x", "in.json"))
                .hasMessage("in.json line 2, column 2: unexpected 'x' after the array of rows");
        assertThatThrownBy(() -> InputRows.parse("[[1 2]]", "in.json"))
                .hasMessage("in.json line 1, column 5: expected ',' or ']' in a row, found '2'");
    }

    @Test
    void byteOrderMarkAndLeadingZerosAreAccepted() {
        assertThat(InputRows.parse("\uFEFFx,y\n01,2\n", "in.csv").rows())
                .isDeepEqualTo(new double[][] {{1, 2}});
        assertThat(InputRows.parse("[[01, .5]]", "in.json").rows())
                .isDeepEqualTo(new double[][] {{1, 0.5}});
    }
}

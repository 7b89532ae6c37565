package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConstrainedCommandTest {

    @Test
    void printsTheIterationTableForOneProblem() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new DescentCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("constrained", "--problem", "hs28")).isZero();
        String[] lines = out.toString().strip().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("| problem | n | m | f* |").contains("Hipparchus SQP it.");
        String[] cells = lines[2].split("\\|");
        // | HS28 | 3 | 1 | f* | f | KKT | GV | RK | exact | SQP | SQP KKT |
        assertThat(cells[1].strip()).isEqualTo("HS28");
        assertThat(cells[2].strip()).isEqualTo("3");
        assertThat(cells[3].strip()).isEqualTo("1");
        // a convex quadratic with a linear constraint: one Newton step (the reference's count)
        assertThat(cells[7].strip()).isEqualTo("1");
        assertThat(cells[9].strip()).isEqualTo("1");
        assertThat(Double.parseDouble(cells[6].strip())).isLessThan(1e-4);
    }

    @Test
    void rejectsAnUnknownProblemAndABadTolerance() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DescentCli());
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("constrained", "--problem", "HS999")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown problem 'HS999'");
        assertThat(cli.execute("constrained", "--tolerance", "-1")).isEqualTo(2);
    }
}

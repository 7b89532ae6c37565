package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The barrier optimum of the tests' two programs against an independent solve
 * (convex-relu-reference.csv, made by convex_relu_reference.py beside it: the same data and
 * patterns rebuilt in Python with java.util.Random re-implemented, solved by CVXOPT's primal-dual
 * cone QP solver, and bracketed by the objective of a feasible point above and a Lagrange dual
 * value below).
 */
class ConvexReluReferenceTest {

    /** Round-off allowed on either side of the bracket, relative. */
    private static final double ROUND_OFF = 1e-12;

    @Test
    void theBarrierOptimumLiesInTheIndependentBracket() throws IOException {
        Map<String, double[]> rows = read();
        assertThat(rows).containsOnlyKeys("oneDimensional", "twoDimensional");
        check(ConvexReluFixtures.oneDimensional(), rows.get("oneDimensional"));
        check(ConvexReluFixtures.twoDimensional(), rows.get("twoDimensional"));
    }

    /**
     * The barrier point is strictly feasible, so its objective is ≥ the optimum ≥ lower; it exceeds
     * the optimum by at most its gap bound, and the optimum is ≤ upper (a feasible point's value).
     * The bracket is 8.6e-7 (1-D) and 1.1e-7 (2-D) wide relative to the optimum.
     */
    private static void check(ConvexReluProgram program, double[] row) {
        double n = row[0];
        double dim = row[1];
        double patterns = row[2];
        double upper = row[3];
        double lower = row[4];
        assertThat(program.samples()).isEqualTo((int) n);
        assertThat(program.dimension()).isEqualTo((int) dim + 1);
        assertThat(program.patterns()).isEqualTo((int) patterns);
        assertThat((upper - lower) / upper).isBetween(0.0, 1e-6);

        ConvexReluInteriorPoint.Result barrier = ConvexReluInteriorPoint.solve(program, 1e-9);
        assertThat(barrier.status()).isEqualTo(SolveStatus.CONVERGED);
        assertThat(program.coneViolation(barrier.solution())).isZero();
        assertThat(barrier.objective()).isGreaterThanOrEqualTo(lower * (1 - ROUND_OFF));
        assertThat(barrier.objective())
                .isLessThanOrEqualTo(upper * (1 + ROUND_OFF) + barrier.gapBound());
    }

    /** name → {n, dim, patterns, upper, lower}. */
    private Map<String, double[]> read() throws IOException {
        Map<String, double[]> rows = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream("convex-relu-reference.csv");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.startsWith("name,")) {
                    continue;
                }
                String[] f = line.split(",");
                double[] values = new double[f.length - 1];
                for (int k = 1; k < f.length; k++) {
                    values[k - 1] = Double.parseDouble(f[k]);
                }
                rows.put(f[0], values);
            }
        }
        return rows;
    }
}

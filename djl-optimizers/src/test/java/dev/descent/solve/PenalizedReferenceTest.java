package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link ProximalGradient} and {@link ProximalConjugateGradient} against independent solutions:
 * {@code penalized-cd.csv} beside this class's resources, made by {@code penalized_cd.py} (numpy
 * coordinate descent with ncvreg's updates; the L1 solutions also agree with R's glmnet to 3.1e-9,
 * as the file's header says). Its design makes every objective strictly convex (smallest eigenvalue
 * of XᵀX/n 0.436 &gt; 1/(a − 1) and 1/gamma), so the minimizer is unique and both solvers must find
 * it: coefficients within 1e-6 (the solvers stop at a gradient mapping below 1e-10, which on this
 * strongly convex problem bounds the distance to the minimizer by about 1e-10/0.07).
 */
class PenalizedReferenceTest {

    private static final double COEFFICIENT_ATOL = 1e-6;

    @Test
    void bothSolversReproduceTheCoordinateDescentSolutions() throws IOException {
        List<double[]> rows = new ArrayList<>();
        double[] y = null;
        Map<String, double[]> betas = new LinkedHashMap<>();
        double lambdaMax = Double.NaN;
        try (InputStream in = getClass().getResourceAsStream("penalized-cd.csv");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("# lambda_max ")) {
                    lambdaMax = Double.parseDouble(line.substring("# lambda_max ".length()));
                }
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                double[] v =
                        Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray();
                switch (f[0]) {
                    case "x" -> rows.add(v);
                    case "y" -> y = v;
                    case "beta" -> betas.put(f[1], v);
                    default -> throw new IllegalStateException("unknown row kind " + f[0]);
                }
            }
        }
        double[][] x = rows.toArray(new double[0][]);
        LeastSquares loss = LeastSquares.of(x, y);
        assertThat(loss.lambdaMax())
                .isCloseTo(lambdaMax, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(betas).hasSize(9);
        Map<String, DoubleFunction<Penalty>> kinds =
                Map.of("l1", Penalty::l1, "scad", Penalty::scad, "mcp", Penalty::mcp);
        ProximalGradient pg = ProximalGradient.builder().optTolerance(1e-10).build();
        ProximalConjugateGradient pcg =
                ProximalConjugateGradient.builder().optTolerance(1e-10).build();
        for (Map.Entry<String, double[]> e : betas.entrySet()) {
            String[] key = e.getKey().split("@");
            Penalty penalty = kinds.get(key[0]).apply(Double.parseDouble(key[1]) * lambdaMax);
            double[] expected = e.getValue();
            for (ProximalResult result :
                    List.of(
                            pg.minimize(loss, penalty, new double[x[0].length]),
                            pcg.minimize(loss, penalty, new double[x[0].length]))) {
                assertThat(result.status()).as(e.getKey()).isEqualTo(SolveStatus.CONVERGED);
                for (int j = 0; j < expected.length; j++) {
                    assertThat(result.solution()[j])
                            .as("%s, coefficient %d", e.getKey(), j)
                            .isCloseTo(
                                    expected[j],
                                    org.assertj.core.api.Assertions.within(COEFFICIENT_ATOL));
                    // the zeros of the reference are exact zeros of the prox
                    if (expected[j] == 0) {
                        assertThat(result.solution()[j]).isEqualTo(0);
                    }
                }
            }
        }
    }
}

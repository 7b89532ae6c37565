package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Block coordinate descent against trajectories from the official IssamLaradji/
 * BlockCoordinateDescent code (commit 322066b; {@code reference/bcd_official.py} says how they were
 * made): f after every iteration and the chosen block, for least squares (fixed "Sort" blocks with
 * GS/GSL/GSD/GSQ and variable blocks with GS/GSD/GSDHb/IHT, updates Lb and Hb), logistic regression
 * (Lb and the Newton line search "LS") and softmax; and the reference's lattice partitions.
 * Tolerance: 1e-9 relative on f (float64 sums in a different order over ≤ 40 iterations); blocks
 * must be identical.
 */
class BlockCoordinateOfficialTest {

    private static final double F_RTOL = 1e-9;

    /** The same deterministic design as the script. */
    static double[][] design(int m, int p) {
        double[][] a = new double[m][p];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < p; j++) {
                if (Math.sin(2.1 * i + 3.7 * j) > -0.2) {
                    a[i][j] = (1 + Math.sin(1.3 * i + 0.7 * j)) * 3 * Math.cos(0.9 * j + 0.2);
                }
            }
        }
        return a;
    }

    private record Row(int iteration, double f, int[] block) {}

    private static Map<String, List<Row>> load() throws IOException {
        Map<String, List<Row>> runs = new LinkedHashMap<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                BlockCoordinateOfficialTest.class.getResourceAsStream(
                                        "/reference/bcd_official.csv"),
                                StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] c = line.split(",", -1);
                int[] block =
                        c[6].isEmpty()
                                ? new int[0]
                                : Arrays.stream(c[6].split(" "))
                                        .mapToInt(Integer::parseInt)
                                        .toArray();
                String key = c[0] + "," + c[1] + "," + c[2] + "," + c[3];
                int it = c[4].isEmpty() ? Integer.parseInt(c[2]) : Integer.parseInt(c[4]);
                double f = c[5].isEmpty() ? Double.NaN : Double.parseDouble(c[5]);
                runs.computeIfAbsent(key, k -> new ArrayList<>()).add(new Row(it, f, block));
            }
        }
        return runs;
    }

    private static BlockObjective objective(String name) {
        switch (name) {
            case "ls":
                double[] b = new double[24];
                for (int i = 0; i < 24; i++) {
                    b[i] = Math.cos(0.5 * i) * 5;
                }
                return BlockObjective.leastSquares(design(24, 40), b);
            case "lg":
                double[] labels = new double[30];
                for (int i = 0; i < 30; i++) {
                    labels[i] = Math.signum(Math.sin(1.7 * i + 0.4));
                }
                return BlockObjective.logistic(design(30, 12), labels);
            case "sf":
                int[] y = new int[20];
                for (int i = 0; i < 20; i++) {
                    y[i] = (i * 7 + i / 3) % 3;
                }
                return BlockObjective.softmax(design(20, 6), y, 3);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private static BlockRule rule(String name) {
        switch (name) {
            case "GSDHb":
                return BlockRule.GSL;
            case "IHT":
                return BlockRule.GSQ;
            default:
                return BlockRule.valueOf(name);
        }
    }

    private static BlockUpdate update(String name) {
        switch (name) {
            case "Lb":
                return BlockUpdate.LIPSCHITZ;
            case "Hb":
                return BlockUpdate.MATRIX;
            case "LS":
                return BlockUpdate.NEWTON;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    @Test
    void trajectoriesMatchTheOfficialCode() throws IOException {
        int compared = 0;
        for (Map.Entry<String, List<Row>> run : load().entrySet()) {
            String[] k = run.getKey().split(",");
            if (k[0].equals("partition")) {
                continue;
            }
            BlockObjective f = objective(k[0]);
            int tau = k[0].equals("ls") ? 4 : 3;
            BlockRule rule = rule(k[2]);
            BlockSelection selection =
                    k[1].equals("Sort")
                            ? BlockSelection.fixed(
                                    f,
                                    BlockPartitions.sorted(f.coordinateLipschitz(), tau),
                                    rule,
                                    0)
                            : BlockSelection.variable(f, tau, rule, 0);
            List<Row> rows = run.getValue();
            BlockCoordinateDescent.Result result =
                    BlockCoordinateDescent.builder()
                            .setObjective(f)
                            .setSelection(selection)
                            .setUpdate(update(k[3]))
                            .optMaxIterations(rows.size() - 1)
                            .build()
                            .minimize(new double[f.dimension()]);
            assertThat(result.iterations()).as(run.getKey()).isEqualTo(rows.size() - 1);
            for (Row row : rows) {
                assertThat(result.values()[row.iteration()])
                        .as(run.getKey() + " f at iteration " + row.iteration())
                        .isCloseTo(row.f(), within(F_RTOL * Math.abs(row.f())));
                if (row.iteration() > 0) {
                    int[] block = result.blocks().get(row.iteration() - 1).clone();
                    Arrays.sort(block);
                    assertThat(block)
                            .as(run.getKey() + " block at iteration " + row.iteration())
                            .isEqualTo(row.block());
                }
            }
            compared++;
        }
        assertThat(compared).isEqualTo(25);
    }

    @Test
    void latticePartitionsMatchTheOfficialCode() throws IOException {
        List<Row> redBlack = load().get("partition,redblack,0,");
        int[][] rb = BlockPartitions.latticeRedBlack(5, 4);
        int[][] tree = BlockPartitions.latticeTrees(5, 4);
        Map<String, List<Row>> runs = load();
        for (int b = 0; b < 2; b++) {
            assertThat(sorted(rb[b]))
                    .isEqualTo(runs.get("partition,redblack," + b + ",").get(0).block());
            assertThat(sorted(tree[b]))
                    .isEqualTo(runs.get("partition,tree," + b + ",").get(0).block());
        }
        assertThat(redBlack).hasSize(1);
    }

    private static int[] sorted(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }
}

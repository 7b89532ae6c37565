package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class CautiousTest {

    private static NDManager manager;

    @BeforeContainer
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterContainer
    static void close() {
        manager.close();
    }

    @Property(tries = 200)
    void keepsAgreeingCoordinatesRescaledByInverseKeptFraction(
            @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = -10, max = 10) Double> delta,
            @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = -10, max = 10) Double> grad) {
        int n = Math.min(delta.size(), grad.size());
        double[] d = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = delta.get(i);
            g[i] = grad.get(i);
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            kept += d[i] * g[i] > 0 ? 1 : 0;
        }
        double scale = n / (kept + 1.0);
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = d[i] * g[i] > 0 ? d[i] * scale : 0;
        }
        try (NDArray da = manager.create(d);
                NDArray ga = manager.create(g)) {
            Cautious.mask(da, ga);
            assertThat(
                            Tolerance.firstMismatch(
                                    da.toDoubleArray(),
                                    expected,
                                    Tolerance.F64_RTOL,
                                    Tolerance.F64_ATOL))
                    .isEqualTo(-1);
        }
    }

    @Property(tries = 30)
    void everyCautiousStepDescendsAlongTheGradient(
            @ForAll @Size(value = 8) List<@DoubleRange(min = -1, max = 1) Double> values) {
        double[] start = values.stream().mapToDouble(Double::doubleValue).toArray();
        DescentOptimizer<?> optimizer =
                Descent.lion().optLearningRate(0.01).optCautious(true).build();
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(start);
            for (int t = 1; t <= 10; t++) {
                double[] g = Problems.gradient(t, start.length);
                double[] before = w.toDoubleArray();
                try (NDArray ga = scope.create(g)) {
                    optimizer.update("w", w, ga);
                }
                double[] after = w.toDoubleArray();
                for (int i = 0; i < g.length; i++) {
                    // the step p_before − p_after must not point against the gradient
                    assertThat((before[i] - after[i]) * g[i]).isGreaterThanOrEqualTo(0.0);
                }
            }
        }
    }
}

package dev.descent.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A derivative-free estimate of a vector–Jacobian product {@code Jᵀv} from symmetric probes of Φ.
 * Both estimators here have the form
 *
 * <pre>
 *   g ≈ (1/K) Σ_k  ⟨v, Φ(x + h_k d_k) − Φ(x − h_k d_k)⟩ / (2 h_k) · d_k
 * </pre>
 *
 * and differ in the directions d_k: the coordinate vectors (K = 1, n probes pairs) for central
 * differences, random ±1 vectors for SPSA (Spall 1992; with Rademacher entries 1/Δ_i = Δ_i).
 */
public sealed interface GradientEstimator {

    /**
     * One symmetric probe pair: Φ is evaluated at {@code x ± step·direction}.
     *
     * @param direction the direction d_k, length n
     * @param step the step h_k > 0
     */
    record Probe(double[] direction, double step) {}

    /**
     * Returns the probe pairs at a point.
     *
     * @param x the point; not modified
     * @param random the source of random directions (used by SPSA only); modified
     * @return the probes
     */
    List<Probe> probes(double[] x, Random random);

    /**
     * Returns K, the divisor of the sum over probes.
     *
     * @return 1 for central differences, the sample count for SPSA
     */
    int divisor();

    /**
     * Central differences along each coordinate with step {@code h_i = relativeStep·max(1, |x_i|)}:
     * 2n evaluations per point, error O(h²) plus rounding O(ε_mach/h).
     *
     * @param relativeStep the relative step, in (0, 1); ∛ε of float32 ≈ 4.9e-3 balances the two
     *     errors for float32 models
     */
    record CentralDifferences(double relativeStep) implements GradientEstimator {

        /** A step balancing truncation and float32 rounding error: ∛(2⁻²³). */
        public static final double FLOAT32_STEP = Math.cbrt(Math.ulp(1.0f));

        /**
         * Validates the step.
         *
         * @throws IllegalArgumentException unless relativeStep is in (0, 1)
         */
        public CentralDifferences {
            if (!(relativeStep > 0 && relativeStep < 1)) {
                throw new IllegalArgumentException(
                        "relativeStep must be in (0, 1), got " + relativeStep);
            }
        }

        @Override
        public List<Probe> probes(double[] x, Random random) {
            List<Probe> probes = new ArrayList<>(x.length);
            for (int i = 0; i < x.length; i++) {
                double[] e = new double[x.length];
                e[i] = 1;
                probes.add(new Probe(e, relativeStep * Math.max(1, Math.abs(x[i]))));
            }
            return probes;
        }

        @Override
        public int divisor() {
            return 1;
        }
    }

    /**
     * SPSA: {@code samples} random Rademacher directions with perturbation c: 2·samples evaluations
     * per point whatever n is; unbiased up to O(c²), variance O(n/samples)·‖g‖².
     *
     * @param perturbation the perturbation c > 0
     * @param samples the number of directions K ≥ 1
     */
    record Spsa(double perturbation, int samples) implements GradientEstimator {

        /**
         * Validates the arguments.
         *
         * @throws IllegalArgumentException if {@code perturbation ≤ 0} or {@code samples < 1}
         */
        public Spsa {
            if (!(perturbation > 0) || Double.isInfinite(perturbation)) {
                throw new IllegalArgumentException(
                        "perturbation must be finite and > 0, got " + perturbation);
            }
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be >= 1, got " + samples);
            }
        }

        @Override
        public List<Probe> probes(double[] x, Random random) {
            List<Probe> probes = new ArrayList<>(samples);
            for (int k = 0; k < samples; k++) {
                double[] d = new double[x.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = random.nextBoolean() ? 1 : -1;
                }
                probes.add(new Probe(d, perturbation));
            }
            return probes;
        }

        @Override
        public int divisor() {
            return samples;
        }
    }
}

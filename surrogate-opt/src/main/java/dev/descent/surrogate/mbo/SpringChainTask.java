package dev.descent.surrogate.mbo;

/**
 * Vibration isolation of a vertical chain of N unit masses joined by springs and dampers to a base
 * that shakes harmonically — a small physical simulation scored by integrating its equations of
 * motion.
 *
 * <p>Design {@code x ∈ [−1, 1]^{2N}}: spring j (below mass j) has stiffness {@code k_j = 10^(1 +
 * x_j)} ∈ [1, 100] and damper j has coefficient {@code c_j = 10^(x_{N+j})} ∈ [0.1, 10]. The base
 * moves as {@code u(t) = A·sin(ωt)} with A = {@value #AMPLITUDE} and ω = {@value #OMEGA}; with
 * {@code q_0 = u}, mass j obeys {@code q_j'' = k_j(q_{j−1} − q_j) + c_j(q_{j−1}' − q_j') −
 * k_{j+1}(q_j − q_{j+1}) − c_{j+1}(q_j' − q_{j+1}')}, integrated from rest by semi-implicit Euler
 * with step {@value #STEP} to T = {@value #DURATION} (q are displacements from the static
 * equilibrium, so gravity does not enter the dynamics).
 *
 * <p>{@code score = −rms(q_N over [T/2, T])/A − w·sag} with w = {@value #SAG_WEIGHT}: the
 * transmissibility to the top mass after the transient, against the static sag under gravity,
 * {@code sag = Σ_j (N − j + 1)·g/k_j} (closed form; mass j's spring carries the N − j + 1 masses
 * above it). Soft springs isolate but sag; stiff ones pass the shaking through.
 */
public final class SpringChainTask extends BoxTask {

    static final double AMPLITUDE = 0.1;
    static final double OMEGA = 3.0;
    static final double STEP = 0.005;
    static final double DURATION = 20.0;
    static final double SAG_WEIGHT = 0.01;
    private static final double GRAVITY = 9.81;

    private final int masses;

    /**
     * Creates a chain.
     *
     * @param masses N, {@code >= 1} (the design has 2N coordinates)
     */
    public SpringChainTask(int masses) {
        super(2 * masses, -1, 1);
        this.masses = masses;
    }

    @Override
    public String name() {
        return "springs-" + masses;
    }

    @Override
    public double score(double[] point) {
        double[] x = toDesign(point);
        int n = masses;
        // index 0 is the base; springs[j] and dampers[j] join mass j − 1 and mass j
        double[] springs = new double[n + 2];
        double[] dampers = new double[n + 2];
        double sag = 0;
        for (int j = 1; j <= n; j++) {
            springs[j] = Math.pow(10, 1 + x[j - 1]);
            dampers[j] = Math.pow(10, x[n + j - 1]);
            sag += (n - j + 1) * GRAVITY / springs[j];
        }
        double[] q = new double[n + 2];
        double[] v = new double[n + 2];
        double[] a = new double[n + 2];
        int steps = (int) Math.round(DURATION / STEP);
        double squares = 0;
        int counted = 0;
        for (int s = 1; s <= steps; s++) {
            double t = s * STEP;
            for (int j = 1; j <= n; j++) {
                a[j] =
                        springs[j] * (q[j - 1] - q[j])
                                + dampers[j] * (v[j - 1] - v[j])
                                - springs[j + 1] * (q[j] - q[j + 1])
                                - dampers[j + 1] * (v[j] - v[j + 1]);
            }
            for (int j = 1; j <= n; j++) {
                v[j] += STEP * a[j];
                q[j] += STEP * v[j];
            }
            q[0] = AMPLITUDE * Math.sin(OMEGA * t);
            v[0] = AMPLITUDE * OMEGA * Math.cos(OMEGA * t);
            if (2 * s > steps) {
                squares += q[n] * q[n];
                counted++;
            }
        }
        return -Math.sqrt(squares / counted) / AMPLITUDE - SAG_WEIGHT * sag;
    }
}

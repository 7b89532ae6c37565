package dev.descent.solve;

/**
 * The heat equation u_t = κ(t) Δu + f(t, x) on the unit square with u = 0 on the boundary, advanced
 * by Crank–Nicolson, as the second task of Learning to Relax (Khodak et al., ICLR 2024; {@code
 * utils/Heat2D.m}, {@code scripts/h2d.m} of mkhodak/learning-to-relax). With nx cells per side (dx
 * = 1/nx), the (nx−1)² interior points (i dx, j dx), i, j = 1..nx−1, and Δ_h = −{@link
 * Laplacian#dirichlet}(nx−1, nx−1)/dx², each step from t to t + dt solves
 *
 * <pre>
 * (I − ½ κ(t + dt/2) dt Δ_h) u⁺ = (I + ½ κ(t + dt/2) dt Δ_h) u + dt f(t + dt/2, ·)
 * </pre>
 *
 * with the reference's data: κ(t) = max(0.1 sin 2πt, −10 sin 2πt) (between 0 and 10), the forcing
 * f(t, x) = 32 bump(x; (½ + cos(16πt)/4, ½ + sin(16πt)/4), 0.125) circling at 8 Hz, the initial
 * state bump(x; (½, ½), 0.25), bump(x; c, r) = exp(1 − 1/(1 − min(1, ‖x − c‖²/r²))). The context a
 * learner sees is κ(t) at the step's start, as the reference passes {@code pde.coefficient(pde.t)};
 * the reference's 5000 steps use dt = 1e-3.
 */
public final class HeatEquation2d {

    /**
     * One step's system.
     *
     * @param matrix A = I − ½ κ dt Δ_h, symmetric positive definite
     * @param rhs b = (I + ½ κ dt Δ_h) u + dt f
     * @param context κ(t) at the step's start
     * @param jacobiSpectralRadius β = ρ(I − D⁻¹A) in closed form: with w = ½ κ(t + dt/2) dt/dx², A
     *     = I + w L and the Jacobi matrix is (w/(1 + 4w))(4I − L), whose spectral radius is 4w
     *     cos(π/nx)/(1 + 4w); {@link Sor#optimalOmega} of it is the step's instance-optimal ω
     */
    public record Step(
            CsrMatrix matrix, double[] rhs, double context, double jacobiSpectralRadius) {}

    private final int nx;
    private final double dt;
    private final CsrMatrix laplacian;
    private final double[][] points;
    private double[] u;
    private double time;

    /**
     * A simulation at t = 0 from the reference's initial bump.
     *
     * @param nx cells per side ≥ 2 ((nx−1)² unknowns)
     * @param dt time step &gt; 0
     * @throws IllegalArgumentException naming the argument out of range
     */
    public HeatEquation2d(int nx, double dt) {
        if (nx < 2) {
            throw new IllegalArgumentException("nx must be >= 2, got " + nx);
        }
        if (!(dt > 0 && Double.isFinite(dt))) {
            throw new IllegalArgumentException("dt must be finite and > 0, got " + dt);
        }
        this.nx = nx;
        this.dt = dt;
        this.laplacian = Laplacian.dirichlet(nx - 1, nx - 1);
        int n = (nx - 1) * (nx - 1);
        this.points = new double[n][];
        double dx = 1.0 / nx;
        for (int i = 1; i < nx; i++) {
            for (int j = 1; j < nx; j++) {
                points[(i - 1) * (nx - 1) + (j - 1)] = new double[] {i * dx, j * dx};
            }
        }
        this.u = new double[n];
        for (int k = 0; k < n; k++) {
            u[k] = bump(points[k], 0.5, 0.5, 0.25);
        }
    }

    /** κ(t) = max(0.1 sin 2πt, −10 sin 2πt). */
    public static double diffusion(double t) {
        double s = Math.sin(2 * Math.PI * t);
        return Math.max(0.1 * s, -10 * s);
    }

    /** exp(1 − 1/(1 − min(1, ‖x − c‖²/r²))), 0 outside the disc. */
    static double bump(double[] x, double cx, double cy, double radius) {
        double dx = x[0] - cx;
        double dy = x[1] - cy;
        double q = Math.min(1, (dx * dx + dy * dy) / (radius * radius));
        return q >= 1 ? 0 : Math.exp(1 - 1 / (1 - q));
    }

    /** f(t, x) = 32 bump(x; (½ + cos(16πt)/4, ½ + sin(16πt)/4), 0.125). */
    static double forcing(double t, double[] x) {
        return 32
                * bump(
                        x,
                        0.5 + Math.cos(16 * Math.PI * t) / 4,
                        0.5 + Math.sin(16 * Math.PI * t) / 4,
                        0.125);
    }

    /** Number of unknowns (nx−1)². */
    public int unknowns() {
        return u.length;
    }

    /** The current time. */
    public double time() {
        return time;
    }

    /** The current state u (a copy): the warm start of the next solve. */
    public double[] state() {
        return u.clone();
    }

    /** The interior points' coordinates (i dx, j dx), in the unknowns' order (copies). */
    public double[][] points() {
        double[][] copy = new double[points.length][];
        for (int k = 0; k < points.length; k++) {
            copy[k] = points[k].clone();
        }
        return copy;
    }

    /** The Crank–Nicolson system of the step from the current time. */
    public Step step() {
        double half = time + 0.5 * dt;
        double dx = 1.0 / nx;
        double w = 0.5 * diffusion(half) * dt / (dx * dx);
        // A = I + w · L and (I − w · L) u with L = Laplacian.dirichlet (= −Δ_h dx²)
        int n = u.length;
        int nnz = laplacian.nonZeros();
        int[] rows = new int[nnz];
        int[] cols = new int[nnz];
        double[] vals = new double[nnz];
        for (int i = 0; i < n; i++) {
            for (int k = laplacian.rowStart[i]; k < laplacian.rowStart[i + 1]; k++) {
                rows[k] = i;
                cols[k] = laplacian.columns[k];
                vals[k] = w * laplacian.values[k];
            }
        }
        CsrMatrix a = CsrMatrix.fromTriplets(n, n, rows, cols, vals).plusIdentity(1);
        double[] lu = laplacian.multiply(u);
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            b[k] = u[k] - w * lu[k] + dt * forcing(half, points[k]);
        }
        return new Step(a, b, diffusion(time), 4 * w * Math.cos(Math.PI / nx) / (1 + 4 * w));
    }

    /**
     * Accepts the solution of the current step's system and moves time on by dt.
     *
     * @param next u⁺, of length {@link #unknowns()}, finite
     * @throws IllegalArgumentException when next has the wrong length or is not finite
     */
    public void advance(double[] next) {
        if (next.length != u.length) {
            throw new IllegalArgumentException(
                    "the new state has length " + next.length + ", expected " + u.length);
        }
        Residuals.requireFinite("HeatEquation2d", "the new state", next);
        u = next.clone();
        time += dt;
    }
}

package dev.descent.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.simple.SimpleEVD;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

class HeatEquation2dTest {

    @Test
    void diffusionIsTheReferencesProfile() {
        assertThat(HeatEquation2d.diffusion(0.25)).isCloseTo(0.1, within(1e-15));
        assertThat(HeatEquation2d.diffusion(0.75)).isCloseTo(10, within(1e-13));
        assertThat(HeatEquation2d.diffusion(0)).isZero();
        for (double t = 0; t < 2; t += 0.01) {
            assertThat(HeatEquation2d.diffusion(t)).isBetween(0.0, 10.0);
        }
    }

    /**
     * Steps at small and large κ: the system equals the dense Crank–Nicolson formula (built here
     * from the 5-point stencil on the point coordinates), and SOR's solve at 1e-13 matches a dense
     * EJML solve of it.
     */
    @Test
    void stepMatchesADenseCrankNicolsonSolve() {
        int nx = 8;
        double dt = 1e-3;
        HeatEquation2d pde = new HeatEquation2d(nx, dt);
        double[][] pts = pde.points();
        int n = pde.unknowns();
        double h = 1.0 / nx;
        for (int step = 0; step < 900; step++) {
            HeatEquation2d.Step s = pde.step();
            if (step == 0 || step == 800) { // κ(t + dt/2) ≈ 1.6e-4 and ≈ 9.7
                double kappa = HeatEquation2d.diffusion(pde.time() + dt / 2);
                SimpleMatrix lap = new SimpleMatrix(n, n); // Δ_h on the interior points
                for (int p = 0; p < n; p++) {
                    lap.set(p, p, -4 / (h * h));
                    for (int q = 0; q < n; q++) {
                        double d =
                                Math.abs(pts[p][0] - pts[q][0]) + Math.abs(pts[p][1] - pts[q][1]);
                        if (p != q && Math.abs(d - h) < 1e-12) {
                            lap.set(p, q, 1 / (h * h));
                        }
                    }
                }
                SimpleMatrix eye = SimpleMatrix.identity(n);
                SimpleMatrix a = eye.minus(lap.scale(0.5 * kappa * dt));
                SimpleMatrix u = new SimpleMatrix(n, 1, true, pde.state());
                SimpleMatrix f = new SimpleMatrix(n, 1);
                double half = pde.time() + dt / 2;
                for (int p = 0; p < n; p++) {
                    double cx = 0.5 + Math.cos(16 * Math.PI * half) / 4;
                    double cy = 0.5 + Math.sin(16 * Math.PI * half) / 4;
                    double r2 =
                            (Math.pow(pts[p][0] - cx, 2) + Math.pow(pts[p][1] - cy, 2))
                                    / (0.125 * 0.125);
                    f.set(p, r2 >= 1 ? 0 : 32 * Math.exp(1 - 1 / (1 - r2)));
                }
                SimpleMatrix b = eye.plus(lap.scale(0.5 * kappa * dt)).mult(u).plus(f.scale(dt));
                double[][] sa = s.matrix().toDense();
                for (int p = 0; p < n; p++) {
                    assertThat(s.rhs()[p]).isCloseTo(b.get(p), within(1e-12));
                    for (int q = 0; q < n; q++) {
                        assertThat(sa[p][q]).isCloseTo(a.get(p, q), within(1e-12));
                    }
                }
                SimpleMatrix dense = a.solve(b);
                SolveResult r =
                        new Sor(1.2)
                                .solve(
                                        s.matrix(),
                                        s.rhs(),
                                        pde.state(),
                                        new StoppingRule(1e-13, 10_000));
                assertThat(r.converged()).isTrue();
                for (int p = 0; p < n; p++) {
                    assertThat(r.solution()[p]).isCloseTo(dense.get(p), within(1e-11));
                }
                // the closed-form Jacobi radius of this step's matrix
                SimpleMatrix jac = eye.minus(a.divide(a.get(0, 0)));
                SimpleEVD<SimpleMatrix> evd = jac.eig();
                double rho = 0;
                for (int k = 0; k < n; k++) {
                    rho = Math.max(rho, Math.abs(evd.getEigenvalue(k).getReal()));
                }
                assertThat(s.jacobiSpectralRadius()).isCloseTo(rho, within(1e-12));
                assertThat(s.context()).isEqualTo(HeatEquation2d.diffusion(pde.time()));
            }
            pde.advance(
                    new Sor(1.3)
                            .solve(
                                    s.matrix(),
                                    s.rhs(),
                                    pde.state(),
                                    new StoppingRule(1e-12, 10_000))
                            .solution());
        }
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> new HeatEquation2d(1, 1e-3))
                .hasMessageContaining("nx must be >= 2, got 1");
        assertThatThrownBy(() -> new HeatEquation2d(8, 0))
                .hasMessageContaining("dt must be finite and > 0");
        HeatEquation2d pde = new HeatEquation2d(4, 1e-3);
        assertThatThrownBy(() -> pde.advance(new double[3]))
                .hasMessageContaining("length 3, expected 9");
        double[] bad = new double[9];
        bad[2] = Double.NaN;
        assertThatThrownBy(() -> pde.advance(bad)).hasMessageContaining("NaN");
    }
}

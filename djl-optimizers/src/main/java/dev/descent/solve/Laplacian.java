package dev.descent.solve;

import java.util.Arrays;

/**
 * The 5-point finite-difference Laplacian −Δ on an nx × ny grid of cell centres, unscaled (diagonal
 * 4 in the interior, −1 per neighbour), unknown (x, y) at index {@code y·nx + x}.
 *
 * <ul>
 *   <li>{@link #dirichlet}: zero values outside the grid, so every diagonal entry is 4 — the matrix
 *       MATLAB's {@code delsq(numgrid('S', n + 2))} builds; symmetric positive definite, with
 *       eigenvalues 4 − 2cos(πi/(nx+1)) − 2cos(πj/(ny+1)), i = 1..nx, j = 1..ny.
 *   <li>{@link #neumann}: zero flux across the boundary, so the diagonal counts the neighbours
 *       inside the grid; symmetric positive semi-definite, its null space the constant vectors
 *       (eigenvalues 4 − 2cos(πi/nx) − 2cos(πj/ny), i = 0..nx−1, j = 0..ny−1).
 * </ul>
 *
 * Multiply by 1/h² for the scaled operator; the solvers' relative stopping rule does not see the
 * scale.
 */
public final class Laplacian {

    private Laplacian() {}

    /**
     * The Dirichlet Laplacian on an nx × ny grid.
     *
     * @param nx grid points along x, ≥ 1
     * @param ny grid points along y, ≥ 1
     * @return an (nx·ny) × (nx·ny) matrix
     */
    public static CsrMatrix dirichlet(int nx, int ny) {
        return build(nx, ny, false);
    }

    /**
     * The Neumann Laplacian on an nx × ny grid.
     *
     * @param nx grid points along x, ≥ 1
     * @param ny grid points along y, ≥ 1
     * @return an (nx·ny) × (nx·ny) matrix
     */
    public static CsrMatrix neumann(int nx, int ny) {
        return build(nx, ny, true);
    }

    /**
     * The eigenvalues of {@link #dirichlet}(nx, ny), ascending (closed form).
     *
     * @param nx grid points along x, ≥ 1
     * @param ny grid points along y, ≥ 1
     * @return nx·ny eigenvalues
     */
    public static double[] dirichletEigenvalues(int nx, int ny) {
        checkGrid(nx, ny);
        double[] e = new double[nx * ny];
        for (int i = 1; i <= nx; i++) {
            for (int j = 1; j <= ny; j++) {
                e[(i - 1) * ny + j - 1] =
                        4
                                - 2 * Math.cos(Math.PI * i / (nx + 1))
                                - 2 * Math.cos(Math.PI * j / (ny + 1));
            }
        }
        Arrays.sort(e);
        return e;
    }

    private static CsrMatrix build(int nx, int ny, boolean neumann) {
        checkGrid(nx, ny);
        int n = nx * ny;
        int[] r = new int[5 * n];
        int[] c = new int[5 * n];
        double[] v = new double[5 * n];
        int k = 0;
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int i = y * nx + x;
                int neighbours = 0;
                int[][] steps = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
                for (int[] s : steps) {
                    if (s[0] >= 0 && s[0] < nx && s[1] >= 0 && s[1] < ny) {
                        r[k] = i;
                        c[k] = s[1] * nx + s[0];
                        v[k] = -1;
                        k++;
                        neighbours++;
                    }
                }
                r[k] = i;
                c[k] = i;
                v[k] = neumann ? neighbours : 4;
                k++;
            }
        }
        return CsrMatrix.fromTriplets(
                n, n, Arrays.copyOf(r, k), Arrays.copyOf(c, k), Arrays.copyOf(v, k));
    }

    private static void checkGrid(int nx, int ny) {
        if (nx < 1 || ny < 1) {
            throw new IllegalArgumentException(
                    "the grid needs at least one point per side, got nx = " + nx + ", ny = " + ny);
        }
    }
}

"""Independent optimum of the convex two-layer ReLU program for ConvexReluReferenceTest.

Rebuilds the tests' fixed programs (ConvexReluFixtures: n = 30 points x uniform in [-1, 1]^dim,
y = sin(3 sum x) + 0.1 N(0, 1) from java.util.Random(1); a column of ones appended; patterns
D_i = diag(1[X h >= 0]) from Gaussian h drawn by java.util.Random(7), kept when new and not all
zero, until 60 are held or 600 draws are spent), with java.util.Random re-implemented below (the
48-bit LCG, nextDouble, the polar nextGaussian), and solves
    minimize 1/2 ||sum_i D_i X (v_i - w_i) - y||^2 + beta sum_i (||v_i|| + ||w_i||)
    subject to (2 D_i - I) X v_i >= 0, (2 D_i - I) X w_i >= 0,        beta = 1e-3
as a cone QP with CVXOPT's primal-dual interior-point solver (solvers.coneqp; variables u and
one bound t_g per group, (t_g, u_g) in the second-order cone), a solver that shares no code with
ConvexReluInteriorPoint (a log-barrier method) or ConvexReluAdmm.

The optimum is then certified without CVXOPT: the primal value p is the objective at CVXOPT's
point after each group is projected onto its polyhedral cone (scipy.optimize.nnls on the dual of
the projection), so p is the value of a feasible point, p >= optimum; a dual point is built from
the residual z = F u - y: for each group the multiplier mu_g >= 0 minimizing
||F_g^T z - G_g^T mu_g|| (nnls), z scaled by c = min(1, beta / max_g of that norm), and the dual
value -1/2 ||c z||^2 - c z^T y is a lower bound on the optimum (Lagrange duality of the program
with r = F u - y). The CSV gives both; the optimum lies in [lower, upper].

Run: /usr/bin/python3 convex_relu_reference.py > convex-relu-reference.csv
     (Debian python3-cvxopt 1.3.0, python3-numpy 1.24.2, python3-scipy 1.10.1)
Output: '#'-comment lines, then rows 'name,n,dim,patterns,upper,lower' per fixture.

'/usr/bin/python3 convex_relu_reference.py admm' instead rebuilds the program of 'descent
convex-relu' at its defaults (n = 40, dim 1, data seed 1, 200 patterns asked from seed 2), brackets
its optimum the same way, runs the same ADMM as ConvexReluAdmm in numpy (rho = step = 0.01, from
zero) and prints, every 4,000 iterations, the objective at v, the objective at v after each group
is projected onto its cone (a feasible point), relative to the bracket's upper end, and the two
parts of the primal residual. Nothing of that run is test data; the README quotes it.
"""

import math
import sys

import numpy as np
from cvxopt import matrix, solvers
from scipy.linalg import cho_factor, cho_solve
from scipy.optimize import nnls

BETA = 1e-3


class JavaRandom:
    """java.util.Random: the 48-bit LCG, nextDouble and the polar-method nextGaussian."""

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)
        self.spare = None

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        value = self.seed >> (48 - bits)
        if value >= 1 << (bits - 1):  # Java's int is signed
            value -= 1 << bits
        return value

    def next_double(self):
        hi = self.next(26) & ((1 << 26) - 1)
        lo = self.next(27) & ((1 << 27) - 1)
        return ((hi << 27) + lo) * 2.0**-53

    def next_gaussian(self):
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        while True:
            v1 = 2 * self.next_double() - 1
            v2 = 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        multiplier = math.sqrt(-2 * math.log(s) / s)
        self.spare = v2 * multiplier
        return v1 * multiplier


def sine(n, dim, seed):
    random = JavaRandom(seed)
    x = np.zeros((n, dim))
    y = np.zeros(n)
    for r in range(n):
        total = 0.0
        for j in range(dim):
            x[r, j] = 2 * random.next_double() - 1
            total += x[r, j]
        y[r] = math.sin(3 * total) + 0.1 * random.next_gaussian()
    return x, y


def patterns(x, samples, seed):
    random = JavaRandom(seed)
    n, d = x.shape
    found = []
    seen = set()
    for _ in range(10 * samples):
        if len(found) >= samples:
            break
        h = [random.next_gaussian() for _ in range(d)]
        mask = tuple(
            sum(x[r, j] * h[j] for j in range(d)) >= 0 for r in range(n))
        if any(mask) and mask not in seen:
            seen.add(mask)
            found.append(mask)
    return np.array(found, dtype=float)  # P x n


def blocks(x, masks):
    """Per group g (v_1..v_P, then w_1..w_P): F_g (n x d, sign included) and G_g (n x d)."""
    p = masks.shape[0]
    fs, gs = [], []
    for sign in (1.0, -1.0):
        for i in range(p):
            fs.append(sign * masks[i][:, None] * x)
            gs.append((2 * masks[i] - 1)[:, None] * x)
    return fs, gs


def objective(fs, y, groups):
    pred = sum(f @ u for f, u in zip(fs, groups))
    return 0.5 * np.sum((pred - y) ** 2) + BETA * sum(np.linalg.norm(u) for u in groups)


def solve_cvxopt(x, y, fs, gs):
    n, d = x.shape
    m = len(fs)
    nu = m * d
    f = np.hstack(fs)  # n x m d
    size = nu + m
    pmat = np.zeros((size, size))
    pmat[:nu, :nu] = f.T @ f
    q = np.concatenate([-f.T @ y, BETA * np.ones(m)])
    rows = []
    for g in range(m):  # -G_g u_g <= 0
        block = np.zeros((n, size))
        block[:, g * d:(g + 1) * d] = -gs[g]
        rows.append(block)
    for g in range(m):  # (t_g, u_g) in Q^{d+1}: s = -(t_g, u_g)·(-1)
        block = np.zeros((d + 1, size))
        block[0, nu + g] = -1
        block[1:, g * d:(g + 1) * d] = -np.eye(d)
        rows.append(block)
    gmat = np.vstack(rows)
    h = np.zeros(gmat.shape[0])
    dims = {"l": m * n, "q": [d + 1] * m, "s": []}
    solvers.options.update(
        {"show_progress": False, "abstol": 1e-9, "reltol": 1e-9, "feastol": 1e-10,
         "maxiters": 200})
    sol = solvers.coneqp(matrix(pmat), matrix(q), matrix(gmat), matrix(h), dims)
    z = np.array(sol["x"]).ravel()
    return sol["status"], [z[g * d:(g + 1) * d] for g in range(m)]


def project_cone(u, gmat):
    """Projection of u onto {G u >= 0}: u + G^T mu with mu >= 0 minimizing ||u + G^T mu||."""
    mu, _ = nnls(-gmat.T, u, maxiter=50 * gmat.shape[0])
    return u + gmat.T @ mu


def certify(fs, gs, y, groups):
    feasible = [project_cone(u, g) for u, g in zip(groups, gs)]
    upper = objective(fs, y, feasible)
    z = sum(f @ u for f, u in zip(fs, feasible)) - y
    worst = 0.0
    for f, g in zip(fs, gs):
        _, norm = nnls(g.T, f.T @ z, maxiter=50 * g.shape[0])
        worst = max(worst, norm)
    c = min(1.0, BETA / worst)
    lower = -0.5 * c * c * (z @ z) - c * (z @ y)
    return upper, lower


def admm_check(iterations=20000, rho=0.01):
    features, y = sine(40, 1, 1)
    x = np.hstack([features, np.ones((40, 1))])
    masks = patterns(x, 200, 2)
    fs, gs = blocks(x, masks)
    status, groups = solve_cvxopt(x, y, fs, gs)
    upper, lower = certify(fs, gs, y, groups)
    print("# n = 40, dim 1, P = %d; cvxopt %s; optimum in [%.10f, %.10f]"
          % (masks.shape[0], status, lower, upper))
    n, d = x.shape
    m = len(fs)
    f = np.hstack(fs)
    g = np.zeros((m * n, m * d))
    for k in range(m):
        g[k * n:(k + 1) * n, k * d:(k + 1) * d] = gs[k]
    factor = cho_factor(np.eye(m * d) + f.T @ f / rho + g.T @ g)
    b1 = f.T @ y / rho
    u = np.zeros(m * d)
    v, lam = u.copy(), u.copy()
    s, nu = np.zeros(m * n), np.zeros(m * n)
    print("iteration,objective_v,projected_v,norm_u_minus_v,norm_Gu_minus_s")
    for it in range(1, iterations + 1):
        u = cho_solve(factor, b1 + v - lam + g.T @ (s - nu))
        z = (u + lam).reshape(m, d)
        norms = np.linalg.norm(z, axis=1, keepdims=True)
        v = (np.maximum(0, 1 - (BETA / rho) / np.maximum(norms, 1e-300)) * z).ravel()
        gu = g @ u
        s = np.maximum(gu + nu, 0)
        lam += u - v
        nu += gu - s
        if it % 4000 == 0:
            vg = list(v.reshape(m, d))
            projected = [project_cone(a, b) for a, b in zip(vg, gs)]
            print("%d,%+.3e,%+.3e,%.2e,%.2e" % (
                it, (objective(fs, y, vg) - upper) / upper,
                (objective(fs, y, projected) - upper) / upper,
                np.linalg.norm(u - v), np.linalg.norm(gu - s)))


def main():
    out = sys.stdout
    out.write("# convex two-layer ReLU program, beta = 1e-3; optimum in [lower, upper]\n")
    out.write("# upper: objective at CVXOPT coneqp's point projected onto the cones (feasible)\n")
    out.write("# lower: Lagrange dual value at the scaled residual (nnls multipliers)\n")
    out.write("name,n,dim,patterns,upper,lower\n")
    for name, dim in (("oneDimensional", 1), ("twoDimensional", 2)):
        features, y = sine(30, dim, 1)
        x = np.hstack([features, np.ones((30, 1))])
        masks = patterns(x, 60, 7)
        fs, gs = blocks(x, masks)
        status, groups = solve_cvxopt(x, y, fs, gs)
        upper, lower = certify(fs, gs, y, groups)
        out.write("# %s: cvxopt status %s, (upper - lower) / upper = %.1e\n"
                  % (name, status, (upper - lower) / upper))
        out.write("%s,%d,%d,%d,%.17g,%.17g\n" % (name, 30, dim, masks.shape[0], upper, lower))


if __name__ == "__main__":
    if sys.argv[1:] == ["admm"]:
        admm_check()
    else:
        main()

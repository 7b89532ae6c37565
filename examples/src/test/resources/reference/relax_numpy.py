"""Independent numpy re-run of the Learning-to-Relax sequence setting (Khodak et al., ICLR 2024;
scripts/learning.m and contextual.m of mkhodak/learning-to-relax), written for Descent from the
paper's description, not from its code: per-omega mean SOR iterations.

A = 5-point Dirichlet Laplacian on the 10 x 10 grid (diagonal 4, n = 100); A_t = A + c_t I with
c_t = -0.15 + 0.6 Beta(a, b), (a, b) = (0.5, 1.5) "high" or (2, 6) "low"; b_t ~ N(0, I) redrawn
until ||b_t|| <= sqrt(n); x0 = 0; SOR x <- x + M^{-1}(b - A x), M = D/omega + tril(A, -1); stop at
the first sweep k with ||b - A x_k|| / ||b|| < 1e-8, cap 1e4. Arms linspace(1, 1.95, 20) and the
instance-optimal omega* = 1 + (beta/(1 + sqrt(1 - beta^2)))^2, beta = 4 cos(pi/11)/(4 + c).

Run: python3 relax_numpy.py N > relax_numpy.csv   (numpy default_rng(2024), N instances per law;
the committed CSV: N = 4000, numpy 2.4.6, OMP_NUM_THREADS=1)
Columns: law, omega ("opt" for omega*), instances, mean, std (sample, ddof 1), capped (count).
"""
import sys

import numpy as np

G = 10
N_UNKNOWNS = G * G
TOL = 1e-8
CAP = 10_000


def laplacian(g):
    n = g * g
    a = 4.0 * np.eye(n)
    for i in range(g):
        for j in range(g):
            k = i * g + j
            if j + 1 < g:
                a[k, k + 1] = a[k + 1, k] = -1.0
            if i + 1 < g:
                a[k, k + g] = a[k + g, k] = -1.0
    return a


def sor_iterations(a, b, omegas):
    """First sweep count reaching the tolerance for each omega (all omegas advanced together)."""
    lower = np.tril(a, -1)
    d = np.diag(np.diag(a))
    minv = np.stack([np.linalg.inv(d / w + lower) for w in omegas])
    x = np.zeros((len(omegas), len(b)))
    r = np.tile(b, (len(omegas), 1))
    stop = TOL * np.linalg.norm(b)
    counts = np.zeros(len(omegas), dtype=np.int64)
    for k in range(1, CAP + 1):
        x += np.matmul(minv, r[:, :, None])[:, :, 0]
        r = b - x @ a
        done = (np.linalg.norm(r, axis=1) < stop) & (counts == 0)
        counts[done] = k
        if counts.all():
            return counts
    counts[counts == 0] = CAP
    return counts


def main():
    instances = int(sys.argv[1])
    rng = np.random.default_rng(2024)
    base = laplacian(G)
    arms = np.linspace(1.0, 1.95, 20)
    print("law,omega,instances,mean,std,capped")
    for law, (alpha, beta_shape) in (("high", (0.5, 1.5)), ("low", (2.0, 6.0))):
        counts = np.zeros((instances, len(arms) + 1), dtype=np.int64)
        for t in range(instances):
            c = -0.15 + 0.6 * rng.beta(alpha, beta_shape)
            while True:
                b = rng.standard_normal(N_UNKNOWNS)
                if np.linalg.norm(b) <= np.sqrt(N_UNKNOWNS):
                    break
            a = base + c * np.eye(N_UNKNOWNS)
            jacobi = 4 * np.cos(np.pi / (G + 1)) / (4 + c)
            opt = 1 + (jacobi / (1 + np.sqrt(1 - jacobi**2))) ** 2
            counts[t] = sor_iterations(a, b, list(arms) + [opt])
        names = ["%.2f" % w for w in arms] + ["opt"]
        for k, name in enumerate(names):
            col = counts[:, k]
            print("%s,%s,%d,%.3f,%.3f,%d" % (law, name, instances, col.mean(), col.std(ddof=1),
                                             int((col >= CAP).sum())))


if __name__ == "__main__":
    main()

"""Independent reference solutions of penalized least squares for PenalizedReferenceTest.

Makes a seeded design (numpy, n = 100, p = 10, AR(1) correlation 0.2 between columns),
standardizes it as ncvreg does (centred columns, (1/n) sum x^2 = 1; y centred), and solves
    min_beta ||y - X beta||^2 / (2n) + sum_j p(beta_j)
for L1, SCAD (a = 3.7) and MCP (gamma = 3) at three levels lambda = c * lambda_max by cyclic
coordinate descent with ncvreg's closed-form coordinate updates (gaussian.c; unit step on
standardized columns), to max |delta beta| < 1e-13. The smallest eigenvalue of X^T X / n is
checked to exceed 1/(a - 1) and 1/gamma, so every objective is strictly convex and its minimizer
unique: any correct solver must find these coefficients. The L1 solutions are also computed with
R's glmnet (Debian r-cran-glmnet; standardize = FALSE, intercept = FALSE, thresh = 1e-14) when
Rscript is present, and the largest difference to the coordinate descent is printed.

Run: python3 penalized_cd.py > penalized-cd.csv   (numpy 2.4.6; R glmnet 4.1)
Output: '#'-comment lines, then rows 'kind,name,values...': the design rows ('x', i), the
response ('y'), and per (penalty, lambda) the coefficients ('beta', 'l1@0.3' ...).
"""

import os
import subprocess
import sys
import tempfile

import numpy as np

N, P, RHO, SEED = 100, 10, 0.2, 20261129
A, GAMMA = 3.7, 3.0
LEVELS = (0.5, 0.2, 0.05)


def design():
    rng = np.random.default_rng(SEED)
    cov = RHO ** np.abs(np.subtract.outer(np.arange(P), np.arange(P)))
    x = rng.standard_normal((N, P)) @ np.linalg.cholesky(cov).T
    beta = np.zeros(P)
    beta[[0, 3, 6]] = [1.5, -1.0, 0.6]
    y = x @ beta + 0.8 * rng.standard_normal(N)
    x = x - x.mean(axis=0)
    x = x / np.sqrt((x ** 2).mean(axis=0))
    return x, y - y.mean()


def soft(z, u):
    return np.sign(z) * max(abs(z) - u, 0.0)


def update(kind, z, lam):
    """ncvreg's coordinate minimizer of (1/2)(b - z)^2 + p(b) (l2 = 0)."""
    if kind == "l1":
        return soft(z, lam)
    if kind == "mcp":
        return soft(z, lam) / (1 - 1 / GAMMA) if abs(z) <= GAMMA * lam else z
    if abs(z) <= 2 * lam:
        return soft(z, lam)
    if abs(z) <= A * lam:
        return soft(z, A * lam / (A - 1)) / (1 - 1 / (A - 1))
    return z


def coordinate_descent(x, y, kind, lam):
    n, p = x.shape
    beta = np.zeros(p)
    r = y.copy()
    for _ in range(100000):
        largest = 0.0
        for j in range(p):
            z = x[:, j] @ r / n + beta[j]
            b = update(kind, z, lam)
            if b != beta[j]:
                r -= (b - beta[j]) * x[:, j]
                largest = max(largest, abs(b - beta[j]))
                beta[j] = b
        if largest < 1e-13:
            return beta
    raise RuntimeError("coordinate descent did not converge")


def glmnet(x, y, lams):
    with tempfile.TemporaryDirectory() as d:
        np.savetxt(os.path.join(d, "x.csv"), x, delimiter=",")
        np.savetxt(os.path.join(d, "y.csv"), y, delimiter=",")
        script = (
            "library(glmnet); x <- as.matrix(read.csv('%s/x.csv', header=FALSE));"
            "y <- read.csv('%s/y.csv', header=FALSE)[,1];"
            "f <- glmnet(x, y, lambda=c(%s), standardize=FALSE, intercept=FALSE, thresh=1e-14);"
            "write.table(as.matrix(coef(f))[-1,], '%s/b.csv', sep=',', row.names=FALSE,"
            " col.names=FALSE)" % (d, d, ",".join(repr(float(l)) for l in lams), d)
        )
        subprocess.run(["Rscript", "-e", script], check=True, capture_output=True)
        return np.loadtxt(os.path.join(d, "b.csv"), delimiter=",", ndmin=2)


def main():
    x, y = design()
    eig = np.linalg.eigvalsh(x.T @ x / N).min()
    assert eig > max(1 / (A - 1), 1 / GAMMA), eig
    lam_max = np.abs(x.T @ y).max() / N
    print("# made by penalized_cd.py (numpy %s), seed %d" % (np.__version__, SEED))
    print("# smallest eigenvalue of X^T X / n: %.6f (> 1/(a-1) = %.6f, > 1/gamma = %.6f)"
          % (eig, 1 / (A - 1), 1 / GAMMA))
    print("# lambda_max %.17g" % lam_max)
    for i in range(N):
        print("x,%d," % i + ",".join(repr(float(v)) for v in x[i]))
    print("y,y," + ",".join(repr(float(v)) for v in y))
    l1 = {}
    for kind in ("l1", "scad", "mcp"):
        for c in LEVELS:
            b = coordinate_descent(x, y, kind, c * lam_max)
            if kind == "l1":
                l1[c] = b
            print("beta,%s@%s," % (kind, c) + ",".join(repr(float(v)) for v in b))
    try:
        g = glmnet(x, y, [c * lam_max for c in LEVELS])
        diff = max(np.abs(g[:, k] - l1[c]).max() for k, c in enumerate(LEVELS))
        print("# glmnet L1 solutions differ from coordinate descent by at most %.3g" % diff)
    except (OSError, subprocess.CalledProcessError) as e:
        print("# glmnet not run: %s" % e, file=sys.stderr)


if __name__ == "__main__":
    main()

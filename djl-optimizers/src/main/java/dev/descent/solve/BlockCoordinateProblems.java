package dev.descent.solve;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The synthetic problems of Nutini, Laradji and Schmidt's experiments (the reference's {@code
 * src/datasets/datasets.py} and {@code tree_datasets.py}), seeded, at any size. The recipe of
 * datasets A–C: X = (randn(m, p) + 1)·diag(10·randn(p)), each entry kept with probability 10
 * ln(m)/m; w = randn(p), each entry kept with probability 0.1. The reference draws from numpy's
 * generator seeded with 1 (and loads dataset A from a file it does not ship); here the draws come
 * from {@link Random} with the given seed, in the same order of use.
 */
public final class BlockCoordinateProblems {

    private BlockCoordinateProblems() {}

    /**
     * A design and its targets.
     *
     * @param a m × p
     * @param b length m (regression targets or ±1 labels)
     */
    public record Regression(double[][] a, double[] b) {
        /** ½‖A x − b‖². */
        public BlockObjective leastSquares() {
            return BlockObjective.leastSquares(a, b);
        }

        /**
         * min ½‖A x − b‖², from the minimum-norm least-squares solution pinv(A) b (EJML SVD): 0 up
         * to rounding when A has full row rank, as for the reference's wide designs.
         */
        public double leastSquaresMinimum() {
            DMatrixRMaj am = new DMatrixRMaj(a);
            DMatrixRMaj pinv = new DMatrixRMaj(am.numCols, am.numRows);
            CommonOps_DDRM.pinv(am, pinv);
            DMatrixRMaj x = new DMatrixRMaj(am.numCols, 1);
            CommonOps_DDRM.mult(pinv, new DMatrixRMaj(b), x);
            return leastSquares().value(x.getData());
        }

        /** The logistic loss with labels b. */
        public BlockObjective logistic() {
            return BlockObjective.logistic(a, b);
        }
    }

    /**
     * A design with class labels.
     *
     * @param a m × p
     * @param labels in [0, classes)
     * @param classes k
     */
    public record Classification(double[][] a, int[] labels, int classes) {
        /** The softmax loss over p·k coordinates. */
        public BlockObjective softmax() {
            return BlockObjective.softmax(a, labels, classes);
        }
    }

    /**
     * Dataset A: least squares, b = X w + randn(m).
     *
     * @param m rows ≥ 2
     * @param p columns ≥ 1
     * @param seed the seed
     * @return the data
     */
    public static Regression leastSquares(int m, int p, long seed) {
        Random random = new Random(seed);
        double[][] x = design(m, p, random);
        double[] w = sparseWeights(p, random);
        double[] b = times(x, w);
        for (int i = 0; i < m; i++) {
            b[i] += random.nextGaussian();
        }
        return new Regression(x, b);
    }

    /**
     * Dataset B: logistic regression, b = sign(X w), each label flipped with probability 0.1 (a
     * zero X w counts as +1).
     *
     * @param m rows ≥ 2
     * @param p columns ≥ 1
     * @param seed the seed
     * @return the data, labels ±1
     */
    public static Regression logistic(int m, int p, long seed) {
        Random random = new Random(seed);
        double[][] x = design(m, p, random);
        double[] w = sparseWeights(p, random);
        double[] z = times(x, w);
        double[] b = new double[m];
        for (int i = 0; i < m; i++) {
            b[i] = (z[i] >= 0 ? 1 : -1) * (random.nextDouble() < 0.1 ? -1 : 1);
        }
        return new Regression(x, b);
    }

    /**
     * Dataset C: softmax, labels argmax_c (X W + randn)_c with W = randn(p, k) dense.
     *
     * @param m rows ≥ 2
     * @param p features ≥ 1
     * @param classes k ≥ 2
     * @param seed the seed
     * @return the data
     */
    public static Classification softmax(int m, int p, int classes, long seed) {
        Random random = new Random(seed);
        double[][] x = design(m, p, random);
        double[][] w = new double[p][classes];
        for (double[] row : w) {
            for (int c = 0; c < classes; c++) {
                row[c] = random.nextGaussian();
            }
        }
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = 0;
                for (int j = 0; j < p; j++) {
                    s += x[i][j] * w[j][c];
                }
                s += random.nextGaussian();
                if (s > best) {
                    best = s;
                    labels[i] = c;
                }
            }
        }
        return new Classification(x, labels, classes);
    }

    /**
     * Dataset D: label propagation on an nrows × ncols lattice (node = col·nrows + row), weight w
     * between 4-neighbours, {@code labelled} nodes drawn without replacement with labels y ~ N(0,
     * 100). Minimizing ½ Σ_ij w_ij (y_i − y_j)² over the unlabelled y is the quadratic ½ yᵀQy − cᵀy
     * with Q_ii = Σ_j w_ij (all neighbours), Q_ij = −w_ij (unlabelled pairs), c_i = Σ_{j labelled}
     * w_ij y_j. The reference: 50 × 50, w = 1e5, 100 labels.
     *
     * @param nrows ≥ 2
     * @param ncols ≥ 2
     * @param labelled in [1, nrows·ncols)
     * @param weight w &gt; 0
     * @param seed the seed
     * @return the problem
     */
    public static Lattice lattice(int nrows, int ncols, int labelled, double weight, long seed) {
        int n = nrows * ncols;
        if (nrows < 2 || ncols < 2 || labelled < 1 || labelled >= n || !(weight > 0)) {
            throw new IllegalArgumentException(
                    "lattice needs nrows, ncols >= 2, labelled in [1, n) and weight > 0, got "
                            + nrows
                            + ", "
                            + ncols
                            + ", "
                            + labelled
                            + ", "
                            + weight);
        }
        Random random = new Random(seed);
        int[] nodes = new int[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = i;
        }
        double[] y = new double[n];
        boolean[] isLabelled = new boolean[n];
        for (int k = 0; k < labelled; k++) { // partial Fisher–Yates: the first `labelled` nodes
            int j = k + random.nextInt(n - k);
            int t = nodes[k];
            nodes[k] = nodes[j];
            nodes[j] = t;
            isLabelled[nodes[k]] = true;
        }
        for (int k = 0; k < labelled; k++) {
            y[nodes[k]] = 10 * random.nextGaussian();
        }
        int[] unknown = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            unknown[i] = isLabelled[i] ? -1 : count++;
        }
        List<int[]> pairs = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        double[] c = new double[count];
        for (int col = 0; col < ncols; col++) {
            for (int row = 0; row < nrows; row++) {
                int i = col * nrows + row;
                if (isLabelled[i]) {
                    continue;
                }
                int[] neighbours = {
                    row > 0 ? i - 1 : -1,
                    row < nrows - 1 ? i + 1 : -1,
                    col > 0 ? i - nrows : -1,
                    col < ncols - 1 ? i + nrows : -1
                };
                double degree = 0;
                for (int j : neighbours) {
                    if (j < 0) {
                        continue;
                    }
                    degree += weight;
                    if (isLabelled[j]) {
                        c[unknown[i]] += weight * y[j];
                    } else {
                        pairs.add(new int[] {unknown[i], unknown[j]});
                        values.add(-weight);
                    }
                }
                pairs.add(new int[] {unknown[i], unknown[i]});
                values.add(degree);
            }
        }
        int[] r = new int[pairs.size()];
        int[] cl = new int[pairs.size()];
        double[] v = new double[pairs.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = pairs.get(k)[0];
            cl[k] = pairs.get(k)[1];
            v[k] = values.get(k);
        }
        QuadraticObjective q =
                QuadraticObjective.of(CsrMatrix.fromTriplets(count, count, r, cl, v), c);
        return new Lattice(q, nrows, ncols, unknown);
    }

    /**
     * A lattice label-propagation problem.
     *
     * @param objective the quadratic over the unlabelled nodes
     * @param nrows lattice rows
     * @param ncols lattice columns
     * @param unknownIndex per lattice node, its unknown's index or −1 when labelled
     */
    public record Lattice(QuadraticObjective objective, int nrows, int ncols, int[] unknownIndex) {
        /** The red-black colouring over the unknowns (two blocks without inner edges). */
        public int[][] redBlack() {
            return BlockPartitions.restrict(
                    BlockPartitions.latticeRedBlack(nrows, ncols), unknownIndex);
        }

        /**
         * The minimizer Q⁻¹c by a dense Cholesky factorization (EJML).
         *
         * @return y* over the unknowns
         * @throws ArithmeticException when Q is not numerically positive definite
         */
        public double[] minimizer() {
            int n = objective.dimension();
            LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(n);
            if (!chol.setA(new DMatrixRMaj(objective.matrix().toDense()))) {
                throw new ArithmeticException("Q is not positive definite (Cholesky failed)");
            }
            DMatrixRMaj y = new DMatrixRMaj(n, 1);
            chol.solve(new DMatrixRMaj(objective.linearTerm()), y);
            return y.getData();
        }

        /** The two lattice forests over the unknowns. */
        public int[][] trees() {
            return BlockPartitions.restrict(
                    BlockPartitions.latticeTrees(nrows, ncols), unknownIndex);
        }
    }

    private static double[][] design(int m, int p, Random random) {
        if (m < 2 || p < 1) {
            throw new IllegalArgumentException("need m >= 2 and p >= 1, got " + m + ", " + p);
        }
        double[][] x = new double[m][p];
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                row[j] = random.nextGaussian() + 1;
            }
        }
        for (int j = 0; j < p; j++) {
            double scale = 10 * random.nextGaussian();
            for (double[] row : x) {
                row[j] *= scale;
            }
        }
        double keep = 10 * Math.log(m) / m;
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                if (!(random.nextDouble() < keep)) {
                    row[j] = 0;
                }
            }
        }
        return x;
    }

    private static double[] sparseWeights(int p, Random random) {
        double[] w = new double[p];
        for (int j = 0; j < p; j++) {
            w[j] = random.nextGaussian();
        }
        for (int j = 0; j < p; j++) {
            if (!(random.nextDouble() < 0.1)) {
                w[j] = 0;
            }
        }
        return w;
    }

    private static double[] times(double[][] x, double[] w) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < w.length; j++) {
                y[i] += x[i][j] * w[j];
            }
        }
        return y;
    }
}

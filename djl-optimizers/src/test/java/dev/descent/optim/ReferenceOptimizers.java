package dev.descent.optim;

/**
 * Plain {@code double[]} re-derivations of every update rule, written from the papers and the
 * reference implementations' documented semantics, independent of the engine code. Each instance
 * holds the state of one parameter.
 */
final class ReferenceOptimizers {

    private ReferenceOptimizers() {}

    /** One parameter's optimizer in float64. */
    abstract static class Reference {
        private final double wd;
        private final WeightDecayMode mode;
        private boolean cautious;
        int t;

        Reference(double wd, WeightDecayMode mode) {
            this.wd = wd;

            this.mode = mode;
        }

        Reference cautious() {
            cautious = true;
            return this;
        }

        /** One step: weight decay, the rule's Δ (masked when cautious), p ← p − Δ. */
        final void step(double[] p, double[] gradient, double lr) {
            t++;
            double[] g = gradient.clone();
            for (int i = 0; i < p.length; i++) {
                switch (mode) {
                    case COUPLED -> g[i] += wd * p[i];
                    case DECOUPLED -> p[i] *= 1 - lr * wd;
                    case FIXED -> p[i] *= 1 - wd;
                }
            }
            double[] delta = delta(p, g, lr);
            if (delta == null) {
                return;
            }
            if (cautious) {
                int kept = 0;
                for (int i = 0; i < p.length; i++) {
                    if (delta[i] * g[i] > 0) {
                        kept++;
                    } else {
                        delta[i] = 0;
                    }
                }
                double scale = p.length / (kept + 1.0);
                for (int i = 0; i < p.length; i++) {
                    delta[i] *= scale;
                }
            }
            for (int i = 0; i < p.length; i++) {
                p[i] -= delta[i];
                if (mode == WeightDecayMode.DECOUPLED_AFTER_STEP) {
                    p[i] *= 1 - lr * wd;
                }
            }
        }

        /** Returns Δ for the processed gradient at step {@code t}, or null for no change. */
        abstract double[] delta(double[] g, double lr);

        /**
         * Δ for rules that read the weight after weight decay (proximal steps); else {@link
         * #delta(double[], double)}.
         */
        double[] delta(double[] p, double[] g, double lr) {
            return delta(g, lr);
        }
    }

    static final class AdaBelief extends Reference {
        final double b1, b2, eps;
        final boolean amsgrad, rectify, degenerate;
        double[] m, s, sMax;

        AdaBelief(
                int n,
                double b1,
                double b2,
                double eps,
                boolean amsgrad,
                boolean rectify,
                boolean degenerate,
                double wd,
                WeightDecayMode mode) {
            super(wd, mode);
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            this.amsgrad = amsgrad;
            this.rectify = rectify;
            this.degenerate = degenerate;
            m = new double[n];
            s = new double[n];
            sMax = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            int n = g.length;
            for (int i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                double r = g[i] - m[i];
                s[i] = b2 * s[i] + (1 - b2) * r * r;
                s[i] += eps;
                sMax[i] = Math.max(sMax[i], s[i]);
            }
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            double[] d = new double[n];
            if (!rectify) {
                for (int i = 0; i < n; i++) {
                    double v = amsgrad ? sMax[i] : s[i];
                    d[i] = lr / bc1 * m[i] / (Math.sqrt(v) / Math.sqrt(bc2) + eps);
                }
                return d;
            }
            double nInf = 2 / (1 - b2) - 1;
            double nT = nInf - 2 * t * Math.pow(b2, t) / bc2;
            if (nT >= 5) {
                double r =
                        Math.sqrt(bc2 * (nT - 4) / (nInf - 4) * (nT - 2) / nT * nInf / (nInf - 2))
                                / bc1;
                for (int i = 0; i < n; i++) {
                    d[i] = lr * r * m[i] / (Math.sqrt(s[i]) + eps);
                }
                return d;
            }
            if (!degenerate) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                d[i] = lr / bc1 * m[i];
            }
            return d;
        }
    }

    static final class Lion extends Reference {
        final double b1, b2;
        final double[] m;

        Lion(int n, double b1, double b2, double wd) {
            super(wd, WeightDecayMode.DECOUPLED);
            this.b1 = b1;
            this.b2 = b2;
            m = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                d[i] = lr * Math.signum(b1 * m[i] + (1 - b1) * g[i]);
                m[i] = b2 * m[i] + (1 - b2) * g[i];
            }
            return d;
        }
    }

    static final class AdamW extends Reference {
        final double b1, b2, eps;
        final double[] m, v;

        AdamW(int n, double b1, double b2, double eps, double wd) {
            super(wd, WeightDecayMode.DECOUPLED);
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            m = new double[n];
            v = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                d[i] = lr / bc1 * m[i] / (Math.sqrt(v[i] / bc2) + eps);
            }
            return d;
        }
    }

    static final class NAdamW extends Reference {
        final double b1, b2, eps, psi;
        final double[] m, v;
        double muProduct = 1;

        NAdamW(int n, double b1, double b2, double eps, double psi, double wd) {
            super(wd, WeightDecayMode.DECOUPLED);
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            this.psi = psi;
            m = new double[n];
            v = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
            double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
            muProduct *= mu;
            double bc2 = 1 - Math.pow(b2, t);
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double denom = Math.sqrt(v[i] / bc2) + eps;
                d[i] =
                        lr * (1 - mu) / (1 - muProduct) * g[i] / denom
                                + lr * muNext / (1 - muProduct * muNext) * m[i] / denom;
            }
            return d;
        }
    }

    static final class RAdam extends Reference {
        final double b1, b2, eps;
        final double[] m, v;

        RAdam(int n, double b1, double b2, double eps, double wd, WeightDecayMode mode) {
            super(wd, mode);
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            m = new double[n];
            v = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            double rhoInf = 2 / (1 - b2) - 1;
            double rhoT = rhoInf - 2 * t * Math.pow(b2, t) / bc2;
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / bc1;
                if (rhoT > 5) {
                    double rect =
                            Math.sqrt(
                                    (rhoT - 4)
                                            * (rhoT - 2)
                                            * rhoInf
                                            / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                    d[i] = lr * mHat * rect * Math.sqrt(bc2) / (Math.sqrt(v[i]) + eps);
                } else {
                    d[i] = lr * mHat;
                }
            }
            return d;
        }
    }

    static final class Adamax extends Reference {
        final double b1, b2, eps;
        final double[] m, u;

        Adamax(int n, double b1, double b2, double eps, double wd) {
            super(wd, WeightDecayMode.COUPLED);
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            m = new double[n];
            u = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                u[i] = Math.max(b2 * u[i], Math.abs(g[i]) + eps);
                d[i] = lr / (1 - Math.pow(b1, t)) * m[i] / u[i];
            }
            return d;
        }
    }

    static final class Sgd extends Reference {
        final double momentum, dampening;
        final boolean nesterov;
        final double[] b;

        Sgd(int n, double momentum, double dampening, boolean nesterov, double wd) {
            super(wd, WeightDecayMode.COUPLED);
            this.momentum = momentum;
            this.dampening = dampening;
            this.nesterov = nesterov;
            b = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                double step = g[i];
                if (momentum != 0) {
                    b[i] = t == 1 ? g[i] : momentum * b[i] + (1 - dampening) * g[i];
                    step = nesterov ? g[i] + momentum * b[i] : b[i];
                }
                d[i] = lr * step;
            }
            return d;
        }
    }

    /**
     * Proximal SGD: {@code p ← prox(p − lr·g, lr)}, with the closed forms written out here (not
     * {@code Penalty}'s) for L1, SCAD and MCP.
     */
    static final class ProximalSgd extends Reference {
        enum Kind {
            L1,
            SCAD,
            MCP
        }

        final Kind kind;
        final double lambda, shape;

        ProximalSgd(Kind kind, double lambda, double shape, double wd) {
            super(wd, WeightDecayMode.COUPLED);
            this.kind = kind;
            this.lambda = lambda;
            this.shape = shape;
        }

        @Override
        double[] delta(double[] g, double lr) {
            throw new UnsupportedOperationException("the proximal step needs the weight");
        }

        @Override
        double[] delta(double[] p, double[] g, double lr) {
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                double z = p[i] - lr * g[i];
                d[i] = p[i] - prox(z, lr);
            }
            return d;
        }

        double prox(double z, double t) {
            double u = Math.abs(z);
            double soft = Math.signum(z) * Math.max(u - t * lambda, 0);
            return switch (kind) {
                case L1 -> soft;
                case MCP -> u <= shape * lambda ? soft / (1 - t / shape) : z;
                case SCAD ->
                        u <= (1 + t) * lambda
                                ? soft
                                : u <= shape * lambda
                                        ? ((shape - 1) * z - Math.signum(z) * t * shape * lambda)
                                                / (shape - 1 - t)
                                        : z;
            };
        }
    }

    static final class Adagrad extends Reference {
        final double lrDecay, eps;
        final double[] sum;

        Adagrad(int n, double lrDecay, double initial, double eps, double wd) {
            super(wd, WeightDecayMode.COUPLED);
            this.lrDecay = lrDecay;
            this.eps = eps;
            sum = new double[n];
            java.util.Arrays.fill(sum, initial);
        }

        @Override
        double[] delta(double[] g, double lr) {
            double clr = lr / (1 + (t - 1) * lrDecay);
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                sum[i] += g[i] * g[i];
                d[i] = clr * g[i] / (Math.sqrt(sum[i]) + eps);
            }
            return d;
        }
    }

    static final class RmsProp extends Reference {
        final double alpha, eps, momentum;
        final boolean centered;
        final double[] v, a, b;

        RmsProp(int n, double alpha, double eps, double momentum, boolean centered, double wd) {
            super(wd, WeightDecayMode.COUPLED);
            this.alpha = alpha;
            this.eps = eps;
            this.momentum = momentum;
            this.centered = centered;
            v = new double[n];
            a = new double[n];
            b = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                double denom;
                if (centered) {
                    a[i] = alpha * a[i] + (1 - alpha) * g[i];
                    denom = Math.sqrt(v[i] - a[i] * a[i]) + eps;
                } else {
                    denom = Math.sqrt(v[i]) + eps;
                }
                if (momentum > 0) {
                    b[i] = momentum * b[i] + g[i] / denom;
                    d[i] = lr * b[i];
                } else {
                    d[i] = lr * g[i] / denom;
                }
            }
            return d;
        }
    }

    static final class Adadelta extends Reference {
        final double rho, eps;
        final double[] v, u;

        Adadelta(int n, double rho, double eps, double wd) {
            super(wd, WeightDecayMode.COUPLED);
            this.rho = rho;
            this.eps = eps;
            v = new double[n];
            u = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                double dx = Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps) * g[i];
                u[i] = rho * u[i] + (1 - rho) * dx * dx;
                d[i] = lr * dx;
            }
            return d;
        }
    }

    /**
     * Sophia (Liuhong99/Sophia sophia.py): {@code refresh} folds an estimate into {@code h}, as
     * {@code update_hessian} does; the denominator's curvature is clamped at 0 (see {@link
     * dev.descent.optim.Sophia}).
     */
    static final class Sophia extends Reference {
        final double b1, b2, rho, bs;
        final double[] m, h;

        Sophia(int n, double b1, double b2, double rho, double bs, double wd) {
            super(wd, WeightDecayMode.DECOUPLED);
            this.b1 = b1;
            this.b2 = b2;
            this.rho = rho;
            this.bs = bs;
            m = new double[n];
            h = new double[n];
        }

        /** {@code h ← β2·h + (1 − β2)·ĥ}. */
        void refresh(double[] estimate) {
            for (int i = 0; i < h.length; i++) {
                h[i] = b2 * h[i] + (1 - b2) * estimate[i];
            }
        }

        @Override
        double[] delta(double[] g, double lr) {
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                double ratio = Math.abs(m[i]) / (rho * bs * Math.max(h[i], 0) + 1e-15);
                d[i] = lr * Math.signum(m[i]) * Math.min(ratio, 1);
            }
            return d;
        }
    }

    /**
     * FRUGAL's coordinate variant on one vector: Adam on {@code int(n·ρ)} entries chosen per epoch
     * of {@code gap} steps, the state-free rule on the others. The entries are chosen by the
     * engine's own selection function ({@link Frugal#randomSubset}), the selection being no part of
     * the update rule re-derived here.
     */
    static final class FrugalCoordinates extends Reference {
        final double b1, b2, eps, density, scale;
        final int gap;
        final boolean reset, sign;
        final long seed;
        final int stream;
        int[] chosen;
        double[] m, v;
        int k;

        /** For the parameter the parity tests update, {@code "w"}, whose name sets the stream. */
        FrugalCoordinates(
                double b1,
                double b2,
                double eps,
                double wd,
                double density,
                int gap,
                boolean reset,
                boolean sign,
                double scale,
                long seed) {
            super(wd, WeightDecayMode.DECOUPLED);
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            this.density = density;
            this.gap = gap;
            this.reset = reset;
            this.sign = sign;
            this.scale = scale;
            this.seed = seed;
            this.stream = "w".hashCode();
        }

        @Override
        double[] delta(double[] g, double lr) {
            if ((t - 1) % gap == 0) {
                int count = (int) (g.length * density);
                chosen =
                        Frugal.randomSubset(
                                Frugal.random(seed, stream, (t - 1) / gap), g.length, count);
                java.util.Arrays.sort(chosen);
                if (reset || m == null) {
                    m = new double[count];
                    v = new double[count];
                    k = 0;
                }
            }
            k++;
            double[] d = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                d[i] = lr * scale * (sign ? Math.signum(g[i]) : g[i]);
            }
            double bc1 = 1 - Math.pow(b1, k);
            double bc2 = 1 - Math.pow(b2, k);
            for (int j = 0; j < chosen.length; j++) {
                double x = g[chosen[j]];
                m[j] = b1 * m[j] + (1 - b1) * x;
                v[j] = b2 * v[j] + (1 - b2) * x * x;
                d[chosen[j]] = lr / bc1 * m[j] / (Math.sqrt(v[j] / bc2) + eps);
            }
            return d;
        }
    }

    /**
     * SOAP on a tensor of a given shape (row-major), with its own cyclic Jacobi eigensolver and
     * modified Gram–Schmidt QR: neither EJML nor the engine.
     */
    static final class Soap extends Reference {
        final double b1, b2, bs, eps;
        final int frequency;
        final boolean normalize, correctBias;
        final int[] dims;
        final boolean[] rotated;
        final double[] m, v;
        final double[][][] gg, q;
        int adamSteps;
        boolean started;

        Soap(
                int[] shape,
                double b1,
                double b2,
                double shampooBeta,
                double eps,
                double wd,
                int frequency,
                long maxDim,
                boolean mergeDims,
                boolean precondition1d,
                boolean normalize,
                boolean correctBias) {
            super(wd, WeightDecayMode.DECOUPLED_AFTER_STEP);
            this.b1 = b1;
            this.b2 = b2;
            this.bs = shampooBeta < 0 ? b2 : shampooBeta;
            this.eps = eps;
            this.frequency = frequency;
            this.normalize = normalize;
            this.correctBias = correctBias;
            if (shape.length == 1) {
                dims = shape.clone();
                rotated = new boolean[] {precondition1d && shape[0] <= maxDim};
            } else {
                dims = mergeDims ? merge(shape, maxDim) : shape.clone();
                rotated = new boolean[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    rotated[i] = dims[i] <= maxDim;
                }
            }
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            m = new double[n];
            v = new double[n];
            gg = new double[dims.length][][];
            q = new double[dims.length][][];
        }

        /** merge_dims: multiply adjacent sizes while the product stays within maxDim. */
        static int[] merge(int[] shape, long maxDim) {
            java.util.List<Integer> out = new java.util.ArrayList<>();
            int current = 1;
            for (int size : shape) {
                if ((long) current * size > maxDim) {
                    if (current > 1) {
                        out.add(current);
                        current = size;
                    } else {
                        out.add(size);
                    }
                } else {
                    current *= size;
                }
            }
            if (current > 1 || out.isEmpty()) {
                out.add(current);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        double[] delta(double[] g, double lr) {
            if (!started) {
                started = true;
                for (int a = 0; a < dims.length; a++) {
                    if (rotated[a]) {
                        gg[a] = contraction(g, a);
                        for (double[] row : gg[a]) {
                            for (int j = 0; j < row.length; j++) {
                                row[j] *= 1 - bs;
                            }
                        }
                        q[a] = eigenvectorsDescending(gg[a]);
                    }
                }
                return null;
            }
            adamSteps++;
            double[] projected = rotate(g, false);
            double[] u = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * projected[i];
                v[i] = b2 * v[i] + (1 - b2) * projected[i] * projected[i];
                u[i] = m[i] / (Math.sqrt(v[i]) + eps);
            }
            double[] d = rotate(u, true);
            double stepSize = lr;
            if (correctBias) {
                stepSize *= Math.sqrt(1 - Math.pow(b2, adamSteps)) / (1 - Math.pow(b1, adamSteps));
            }
            double divisor = 1;
            if (normalize) {
                double sum = 0;
                for (double x : d) {
                    sum += x * x;
                }
                divisor = 1e-30 + Math.sqrt(sum / d.length);
            }
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] / divisor * stepSize;
            }
            for (int a = 0; a < dims.length; a++) {
                if (rotated[a]) {
                    double[][] c = contraction(g, a);
                    for (int i = 0; i < c.length; i++) {
                        for (int j = 0; j < c.length; j++) {
                            gg[a][i][j] = bs * gg[a][i][j] + (1 - bs) * c[i][j];
                        }
                    }
                }
            }
            if (adamSteps % frequency == 0) {
                refresh();
            }
            return d;
        }

        private void refresh() {
            double[] original = rotate(m, true);
            for (int a = 0; a < dims.length; a++) {
                if (!rotated[a]) {
                    continue;
                }
                int n = dims[a];
                double[][] power = multiply(gg[a], q[a]);
                double[] estimate = new double[n];
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < n; i++) {
                        estimate[j] += q[a][i][j] * power[i][j];
                    }
                }
                int[] order = descending(estimate);
                double[][] sorted = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        sorted[i][j] = power[i][order[j]];
                    }
                }
                q[a] = gramSchmidt(sorted);
                permute(v, a, order);
            }
            System.arraycopy(rotate(original, false), 0, m, 0, m.length);
        }

        private double[] rotate(double[] x, boolean back) {
            return multiplyAxes(x, dims, rotated, q, back);
        }

        private double[][] contraction(double[] g, int a) {
            return gram(g, dims, a);
        }

        /**
         * Multiplies each selected axis a of x by M_aᵀ (back: by M_a); x is row-major with the
         * given dims.
         */
        static double[] multiplyAxes(
                double[] x, int[] dims, boolean[] selected, double[][][] mats, boolean back) {
            double[] y = x.clone();
            for (int a = 0; a < dims.length; a++) {
                if (!selected[a]) {
                    continue;
                }
                int n = dims[a];
                int inner = stride(dims, a);
                int outer = y.length / (n * inner);
                double[] z = new double[y.length];
                for (int o = 0; o < outer; o++) {
                    for (int r = 0; r < inner; r++) {
                        for (int i = 0; i < n; i++) {
                            double sum = 0;
                            for (int j = 0; j < n; j++) {
                                double coefficient = back ? mats[a][i][j] : mats[a][j][i];
                                sum += coefficient * y[(o * n + j) * inner + r];
                            }
                            z[(o * n + i) * inner + r] = sum;
                        }
                    }
                }
                y = z;
            }
            return y;
        }

        /** g contracted with itself over every axis but a. */
        static double[][] gram(double[] g, int[] dims, int a) {
            int n = dims[a];
            int inner = stride(dims, a);
            int outer = g.length / (n * inner);
            double[][] c = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int o = 0; o < outer; o++) {
                        for (int r = 0; r < inner; r++) {
                            sum += g[(o * n + i) * inner + r] * g[(o * n + j) * inner + r];
                        }
                    }
                    c[i][j] = sum;
                }
            }
            return c;
        }

        private void permute(double[] x, int a, int[] order) {
            int n = dims[a];
            int inner = stride(dims, a);
            int outer = x.length / (n * inner);
            double[] old = x.clone();
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < inner; r++) {
                        x[(o * n + i) * inner + r] = old[(o * n + order[i]) * inner + r];
                    }
                }
            }
        }

        static int stride(int[] dims, int a) {
            int s = 1;
            for (int b = a + 1; b < dims.length; b++) {
                s *= dims[b];
            }
            return s;
        }

        static int[] descending(double[] values) {
            return java.util.stream.IntStream.range(0, values.length)
                    .boxed()
                    .sorted((i, j) -> Double.compare(values[j], values[i]))
                    .mapToInt(Integer::intValue)
                    .toArray();
        }

        static double[][] multiply(double[][] x, double[][] y) {
            int n = x.length;
            double[][] z = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < n; j++) {
                        z[i][j] += x[i][k] * y[k][j];
                    }
                }
            }
            return z;
        }

        /** Orthonormal columns by modified Gram–Schmidt, applied twice for accuracy. */
        static double[][] gramSchmidt(double[][] a) {
            int n = a.length;
            double[][] q = new double[n][n];
            for (int j = 0; j < n; j++) {
                double[] col = new double[n];
                for (int i = 0; i < n; i++) {
                    col[i] = a[i][j];
                }
                for (int pass = 0; pass < 2; pass++) {
                    for (int k = 0; k < j; k++) {
                        double dot = 0;
                        for (int i = 0; i < n; i++) {
                            dot += q[i][k] * col[i];
                        }
                        for (int i = 0; i < n; i++) {
                            col[i] -= dot * q[i][k];
                        }
                    }
                }
                double norm = 0;
                for (double x : col) {
                    norm += x * x;
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    q[i][j] = col[i] / norm;
                }
            }
            return q;
        }

        /** Cyclic Jacobi: eigenvectors of a symmetric matrix as columns, eigenvalues descending. */
        static double[][] eigenvectorsDescending(double[][] matrix) {
            int n = matrix.length;
            double[][] a = new double[n][];
            for (int i = 0; i < n; i++) {
                a[i] = matrix[i].clone();
                a[i][i] += 1e-30;
            }
            double[][] vec = new double[n][n];
            for (int i = 0; i < n; i++) {
                vec[i][i] = 1;
            }
            for (int sweep = 0; sweep < 100; sweep++) {
                double off = 0;
                double total = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        total += a[i][j] * a[i][j];
                        if (i != j) {
                            off += a[i][j] * a[i][j];
                        }
                    }
                }
                if (off <= 1e-32 * total) {
                    break;
                }
                for (int p = 0; p < n; p++) {
                    for (int r = p + 1; r < n; r++) {
                        if (a[p][r] == 0) {
                            continue;
                        }
                        double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
                        double t =
                                Math.signum(theta)
                                        / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                        if (theta == 0) {
                            t = 1;
                        }
                        double c = 1 / Math.sqrt(t * t + 1);
                        double s = t * c;
                        for (int k = 0; k < n; k++) {
                            double akp = a[k][p];
                            double akr = a[k][r];
                            a[k][p] = c * akp - s * akr;
                            a[k][r] = s * akp + c * akr;
                        }
                        for (int k = 0; k < n; k++) {
                            double apk = a[p][k];
                            double ark = a[r][k];
                            a[p][k] = c * apk - s * ark;
                            a[r][k] = s * apk + c * ark;
                        }
                        for (int k = 0; k < n; k++) {
                            double vkp = vec[k][p];
                            double vkr = vec[k][r];
                            vec[k][p] = c * vkp - s * vkr;
                            vec[k][r] = s * vkp + c * vkr;
                        }
                    }
                }
            }
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) {
                lambda[i] = a[i][i];
            }
            int[] order = descending(lambda);
            double[][] out = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[i][j] = vec[i][order[j]];
                }
            }
            return out;
        }
    }

    /**
     * Shampoo (paper's exponent −1/(2k)) with optional SGD/Adam grafting and coupled decay; roots
     * by the Jacobi eigensolver of {@link Soap}.
     */
    static final class Shampoo extends Reference {
        final int[] dims;
        final boolean[] selected;
        final int frequency;
        final dev.descent.optim.Shampoo.Grafting grafting;
        final double b1, b2, adamEps;
        final double[][][] h, roots;
        final double[] m, v;

        Shampoo(
                int[] shape,
                double matrixEps,
                int frequency,
                long maxDim,
                dev.descent.optim.Shampoo.Grafting grafting,
                double b1,
                double b2,
                double adamEps,
                double wd) {
            super(wd, WeightDecayMode.COUPLED);
            dims = shape.clone();
            this.frequency = frequency;
            this.grafting = grafting;
            this.b1 = b1;
            this.b2 = b2;
            this.adamEps = adamEps;
            selected = new boolean[dims.length];
            h = new double[dims.length][][];
            roots = new double[dims.length][][];
            int size = 1;
            for (int a = 0; a < dims.length; a++) {
                size *= dims[a];
                selected[a] = dims[a] <= maxDim;
                if (selected[a]) {
                    h[a] = new double[dims[a]][dims[a]];
                    for (int i = 0; i < dims[a]; i++) {
                        h[a][i][i] = matrixEps;
                    }
                }
            }
            m = new double[size];
            v = new double[size];
        }

        @Override
        double[] delta(double[] g, double lr) {
            for (int a = 0; a < dims.length; a++) {
                if (selected[a]) {
                    double[][] c = Soap.gram(g, dims, a);
                    for (int i = 0; i < dims[a]; i++) {
                        for (int j = 0; j < dims[a]; j++) {
                            h[a][i][j] += c[i][j];
                        }
                    }
                    if ((t - 1) % frequency == 0) {
                        roots[a] = inverseRoot(h[a], 2.0 * dims.length);
                    }
                }
            }
            double[] d = Soap.multiplyAxes(g, dims, selected, roots, false);
            double scale = lr;
            if (grafting != dev.descent.optim.Shampoo.Grafting.NONE) {
                double[] reference = g;
                if (grafting == dev.descent.optim.Shampoo.Grafting.ADAM) {
                    reference = new double[g.length];
                    double bc1 = 1 - Math.pow(b1, t);
                    double bc2 = 1 - Math.pow(b2, t);
                    for (int i = 0; i < g.length; i++) {
                        m[i] = b1 * m[i] + (1 - b1) * g[i];
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                        reference[i] = m[i] / bc1 / (Math.sqrt(v[i] / bc2) + adamEps);
                    }
                }
                scale *= norm(reference) / (norm(d) + 1e-16);
            }
            for (int i = 0; i < d.length; i++) {
                d[i] *= scale;
            }
            return d;
        }

        private static double norm(double[] x) {
            double sum = 0;
            for (double e : x) {
                sum += e * e;
            }
            return Math.sqrt(sum);
        }

        /** Q·diag(λ^(−1/root))·Qᵀ with Q from Jacobi and λ = diag(QᵀHQ). */
        static double[][] inverseRoot(double[][] matrix, double root) {
            int n = matrix.length;
            double[][] q = Soap.eigenvectorsDescending(matrix);
            double[][] hq = Soap.multiply(matrix, q);
            double[] scale = new double[n];
            for (int j = 0; j < n; j++) {
                double lambda = 0;
                for (int i = 0; i < n; i++) {
                    lambda += q[i][j] * hq[i][j];
                }
                scale[j] = Math.pow(lambda, -1 / root);
            }
            double[][] out = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int k = 0; k < n; k++) {
                        sum += q[i][k] * scale[k] * q[j][k];
                    }
                    out[i][j] = sum;
                }
            }
            return out;
        }
    }

    /**
     * Scion on a vector: the BIAS_RMS LMO {@code d/(rms(d) + 1e-8)}; the constrained variant's
     * {@code p ← (1 − lr)p} is decoupled decay with rate 1.
     */
    static final class Scion extends Reference {
        final double alpha, scale;
        final double[] d;

        Scion(int n, double alpha, double scale, boolean constrained, double wd) {
            super(constrained ? 1 : wd, WeightDecayMode.DECOUPLED);
            this.alpha = alpha;
            this.scale = scale;
            d = new double[n];
        }

        @Override
        double[] delta(double[] g, double lr) {
            double sum = 0;
            for (int i = 0; i < g.length; i++) {
                d[i] = alpha < 1 ? (1 - alpha) * d[i] + alpha * g[i] : g[i];
                sum += d[i] * d[i];
            }
            double rms = Math.sqrt(sum / g.length);
            double[] out = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                out[i] = lr * scale * d[i] / (rms + 1e-8);
            }
            return out;
        }
    }

    /**
     * PSGD-Kron on a vector (kron_torch semantics): a diagonal preconditioner {@code q}, fitted at
     * the steps the update schedule picks, with probes from {@link PsgdKron#generator}.
     */
    static final class PsgdKron extends Reference {
        final double b1, precondLr, constantProbability;
        final boolean momentumIntoPreconditioner;
        final int seed;
        final double[] m, q;
        int counter;

        PsgdKron(
                int n,
                double b1,
                double precondLr,
                double constantProbability,
                boolean momentumIntoPreconditioner,
                int seed) {
            super(0, WeightDecayMode.DECOUPLED);
            this.b1 = b1;
            this.precondLr = precondLr;
            this.constantProbability = constantProbability;
            this.momentumIntoPreconditioner = momentumIntoPreconditioner;
            this.seed = seed;
            m = new double[n];
            q = new double[n];
            java.util.Arrays.fill(q, 1);
        }

        @Override
        double[] delta(double[] g, double lr) {
            int n = g.length;
            double[] big = new double[n];
            for (int i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                big[i] = m[i] / (1 - Math.pow(b1, t));
            }
            double probability =
                    Double.isNaN(constantProbability)
                            ? Math.min(1, Math.max(0.03, Math.exp(-0.001 * (t - 1 - 500))))
                            : constantProbability;
            counter++;
            if (counter >= 1 / probability) {
                counter = 0;
                java.util.SplittableRandom random = dev.descent.optim.PsgdKron.generator(seed, t);
                random.nextDouble(); // the rebalancing draw; a vector has one factor
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = random.nextGaussian();
                }
                double[] source = momentumIntoPreconditioner ? big : g.clone();
                double meanAbs = 0;
                for (double x : source) {
                    meanAbs += Math.abs(x) / n;
                }
                double noise = Math.sqrt(1.1920928955078125e-7) * meanAbs;
                double[] a = new double[n];
                double[] b = new double[n];
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    source[i] += noise * v[i];
                    a[i] = q[i] * source[i];
                    b[i] = v[i] / q[i];
                    norm = Math.max(norm, a[i] * a[i] + b[i] * b[i]);
                }
                double denominator = Math.max(norm, Double.MIN_NORMAL);
                for (int i = 0; i < n; i++) {
                    q[i] -= precondLr * (a[i] * a[i] - b[i] * b[i]) * q[i] / denominator;
                }
            }
            double[] u = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                u[i] = q[i] * q[i] * big[i];
                sum += u[i] * u[i];
            }
            double clip = Math.min(1, 1.1 / (Math.sqrt(sum / n) + 1e-12));
            for (int i = 0; i < n; i++) {
                u[i] *= clip * lr;
            }
            return u;
        }
    }
}

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
            double[] delta = delta(g, lr);
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
            }
        }

        /** Returns Δ for the processed gradient at step {@code t}, or null for no change. */
        abstract double[] delta(double[] g, double lr);
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

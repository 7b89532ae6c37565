package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import dev.descent.curvature.InverseFisher;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * M-FAC: a whole-model step preconditioned by the inverse of the damped empirical Fisher of the
 * last m gradients.
 *
 * <p>Each step, with {@code g} the flat gradient of all parameters (plus {@code wd·p}, coupled
 * weight decay) and {@code window} the ring buffer of the last m gradients ({@link InverseFisher}):
 *
 * <pre>
 * window.add(g)                                   the oldest gradient is replaced
 * u = F⁻¹·g,   F = λ·I + (1/m)·Σ_{i in window} g_i g_iᵀ
 * v ← μ·v + (1 − μ)·u                             only with momentum μ &gt; 0, else v = u
 * p ← p − lr·v
 * </pre>
 *
 * <p>The window starts as m zero gradients, so the first steps use {@code F = λI + (1/m)·Σ} over
 * the gradients seen so far. Costs per step: O(dm) engine work and O(m³) on the host; state m·d
 * gradient entries (plus d for momentum and 16·m² bytes per block on the host). With {@link
 * Builder#optBlockSize} the Fisher is block-diagonal over consecutive blocks of the flat vector
 * (for large d and m, where the host's m×m work per block is the limit).
 *
 * <p>Learning rate: F⁻¹ scales g by up to 1/(λ + ‖g‖²/m) in the directions the window spans (about
 * m/‖g‖² while the window holds few or nearly orthogonal gradients), so a step is much longer than
 * lr·‖g‖, grows as the gradients shrink, and the stable learning rate falls as m grows. The
 * reference pairs lr 1e-3 and m = 512 or 1024 with BatchNorm ResNets, WideResNets and MobileNet at
 * batch 128 (about 390 steps per CIFAR epoch, 164 to 200 epochs, lr ×0.1 at half and three
 * quarters). Measured on a small MLP (digits 64-64-10, all 1,797 images, batch 64, 29 steps per
 * epoch, through {@code EasyTrain}, seeds 0 to 2, 20 epochs), the largest stable rate of {1e-4,
 * 3e-4, 1e-3, 3e-3, 1e-2} was 3e-4 at m = 1024 (at 1e-3 the epoch loss jumps, e.g. 0.47, 1.08,
 * 0.25, 0.77) and 1e-3 at m = 64 (3e-3 jumps, e.g. 0.14, 0.44, 0.73; 1e-2 reaches 17). A loss that
 * jumps between epochs says to divide lr by about 3.
 *
 * <p>Train as with any DJL optimizer, bound to the model (the optimizer needs the whole gradient,
 * see {@link WholeModelOptimizer}); {@link Descent#trainingConfig} binds it when the trainer is
 * created:
 *
 * <pre>{@code
 * MFac mfac = Descent.mFac().optGradients(64).build();
 * TrainingConfig config = Descent.trainingConfig(loss, mfac);
 * }</pre>
 *
 * <p>Paper: Frantar, Kurtic, Alistarh, "M-FAC: Efficient Matrix-Free Approximations of Second-Order
 * Information", arXiv:2107.03356 (§3.1 and the optimizer of §5). Reference implementation:
 * IST-DASLab/M-FAC {@code optim.py} ({@code MFAC}); defaults lr 1e-3, momentum 0, weight decay 0
 * (coupled), ngrads m = 1024, damp λ = 1e-5.
 *
 * <p>Deviations from the reference: the reference refuses m &gt; 1024 (a precedence slip in its
 * CUDA check) and this does not; its sparse mode (weights that start at zero stay out of the
 * window) and multi-GPU splitting are not carried over; the blockwise variant is an addition; the
 * m×m algebra differs in form but not in result (see {@link InverseFisher}).
 */
public final class MFac extends WholeModelOptimizer<MFac.State> {

    private final int gradients;
    private final double damping;
    private final long blockSize;
    private final double momentum;

    private MFac(Builder builder) {
        super(builder);
        gradients = builder.gradients;
        damping = builder.damping;
        blockSize = builder.blockSize;
        momentum = builder.momentum;
    }

    /**
     * The state of the whole model.
     *
     * @param step the steps taken
     * @param window the last m gradients and their inverse Fisher
     * @param velocity the momentum buffer, or {@code null} without momentum
     */
    public record State(long step, InverseFisher window, NDArray velocity)
            implements ParameterState {
        @Override
        public List<NDArray> buffers() {
            return velocity == null
                    ? List.of(window.gradients())
                    : List.of(window.gradients(), velocity);
        }

        @Override
        public List<String> bufferNames() {
            return velocity == null ? List.of("gradients") : List.of("gradients", "velocity");
        }

        /** d, the ring-buffer position, then the Gram matrices of every block. */
        @Override
        public double[] scalars() {
            double[] dots = window.dots();
            double[] all = new double[dots.length + 2];
            all[0] = window.dimension();
            all[1] = window.position();
            System.arraycopy(dots, 0, all, 2, dots.length);
            return all;
        }
    }

    /**
     * Returns a builder with the reference defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected State initialState(NDArray gradient) {
        InverseFisher window =
                InverseFisher.create(
                        gradient.size(),
                        gradients,
                        damping,
                        blockSize,
                        gradient.getDataType(),
                        gradient.getManager());
        return new State(0, window, momentum > 0 ? gradient.zerosLike() : null);
    }

    /** m and the block size fix the window's shape, momentum adds the velocity. */
    @Override
    protected Map<String, String> stateLayout() {
        return Map.of(
                "gradients (m)",
                String.valueOf(gradients),
                "blockSize",
                String.valueOf(blockSize),
                "momentum > 0",
                String.valueOf(momentum > 0));
    }

    @Override
    protected State restore(long step, double[] scalars, List<NDArray> buffers) {
        InverseFisher window =
                InverseFisher.restore(
                        (long) scalars[0],
                        damping,
                        blockSize,
                        buffers.get(0),
                        (int) scalars[1],
                        Arrays.copyOfRange(scalars, 2, scalars.length));
        return new State(step, window, momentum > 0 ? buffers.get(1) : null);
    }

    @Override
    protected DescentOptimizer.Step<State> step(State state, NDArray gradient, double lr) {
        NDArray u = state.window().addAndMultiply(gradient);
        NDArray v = state.velocity();
        if (v != null) {
            Elementwise.lerp(v, u, momentum);
            Elementwise.scaled(u, v, lr);
        } else {
            u.muli(lr);
        }
        return new DescentOptimizer.Step<>(new State(state.step() + 1, state.window(), v), u);
    }

    /**
     * Returns the bytes of the state: the m·d window and the momentum on the engine, and the m×m
     * Gram matrices and factors of every block on the host.
     *
     * @return the number of bytes
     */
    @Override
    public synchronized long stateBytes() {
        State s = state();
        if (s == null) {
            return 0;
        }
        long velocity =
                s.velocity() == null
                        ? 0
                        : s.velocity().size() * s.velocity().getDataType().getNumOfBytes();
        return s.window().bytes() + velocity;
    }

    /** Builds {@link MFac}; defaults are the reference's. */
    public static final class Builder extends WholeModelOptimizer.Builder<Builder> {

        private int gradients = 1024;
        private double damping = 1e-5;
        private long blockSize;
        private double momentum;

        Builder() {
            super(1e-3);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets m, the number of recent gradients the Fisher is built from, {@code >= 1} (default
         * 1024).
         *
         * @param m the window size
         * @return this builder
         */
        public Builder optGradients(int m) {
            this.gradients = m;
            return this;
        }

        /**
         * Sets the damping λ, finite and {@code > 0} (default 1e-5).
         *
         * @param damping λ
         * @return this builder
         */
        public Builder optDamping(double damping) {
            this.damping = damping;
            return this;
        }

        /**
         * Sets the block size of the blockwise variant, {@code >= 1}, or 0 (the default) for one
         * block over the whole model.
         *
         * @param blockSize B
         * @return this builder
         */
        public Builder optBlockSize(long blockSize) {
            this.blockSize = blockSize;
            return this;
        }

        /**
         * Sets the momentum μ of the preconditioned step, in [0, 1) (default 0).
         *
         * @param momentum μ
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        @Override
        public MFac build() {
            validateShared();
            if (gradients < 1) {
                throw new IllegalArgumentException("gradients (m) must be >= 1, got " + gradients);
            }
            Arguments.positive("damping", damping);
            if (blockSize < 0) {
                throw new IllegalArgumentException(
                        "blockSize must be >= 1, or 0 for one block over the whole model, got "
                                + blockSize);
            }
            Arguments.inClosedOpen("momentum", momentum, 0, 1);
            return new MFac(this);
        }
    }
}

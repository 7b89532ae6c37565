package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DJL adapter for optimizers that need the whole model's gradient at once (M-FAC): DJL calls
 * {@link #update} once per parameter, in no fixed order; this class gathers the parameters'
 * gradients into one flat vector and, when the last parameter of the step has arrived, hands it to
 * the rule and applies the flat change to every weight.
 *
 * <p>The model is declared with {@link #bind}: its trainable parameters, in {@code
 * block.getParameters()} order, lay out the flat vector (d = the sum of their sizes); {@link
 * BindingListener} or {@link Descent#trainingConfig(ai.djl.training.loss.Loss, Optimizer)} bind the
 * trainer's model for you. A step is complete when every bound parameter has arrived once. Per
 * arrival: the gradient (plus {@code wd·p}, coupled weight decay, when set) is copied into its
 * slice and the weight's gradient is zeroed, as DJL's native updates do (gradients accumulate on
 * the PyTorch engine otherwise). At completion, in this order:
 *
 * <ol>
 *   <li>the flat gradient is checked for NaN/Inf ({@link NonFiniteGradientPolicy}); as no weight
 *       moves before the whole step is known, a refused step leaves every weight and the state
 *       unchanged (with every gradient zeroed);
 *   <li>{@code g ← clip(rescale·g, −c, c)} when DJL's {@code setRescaleGrad} / {@code optClipGrad}
 *       are set;
 *   <li>the rule computes the flat {@code Δ} from its state and {@code g} and every weight becomes
 *       {@code p ← p − Δ[its slice]}.
 * </ol>
 *
 * <p>A gradient of another shape than its weight is refused ({@code IllegalArgumentException}
 * naming the parameter and both shapes); as with NaN/Inf, the whole step is refused and every
 * gradient cleared. The gradient handed to {@code update} is not modified (DJL closes it right
 * after). Training on several devices, where DJL hands each parameter once per device, is refused
 * with an error: by {@link #bind(Block, ai.djl.Device[])} (which {@link BindingListener} calls with
 * the trainer's devices), or when a parameter arrives twice in one step. The state can be written
 * with {@link #saveState} and read back with {@link #loadState}; a restored optimizer continues
 * bit-identically.
 *
 * @param <S> the state of the whole model
 */
public abstract class WholeModelOptimizer<S extends ParameterState> extends Optimizer
        implements StatefulOptimizer, BindableOptimizer {

    /** The parameter id a learning-rate schedule is asked with: one schedule for the model. */
    private static final String SCHEDULE_ID = "model";

    private final ParameterTracker learningRate;
    private final double constantLearningRate;
    private final double weightDecay;
    private final NonFiniteGradientPolicy nonFiniteGradientPolicy;

    private List<Slot> slots = List.of();
    private Map<String, Integer> slotById = Map.of();
    private long dimension;
    private NDArray flat;
    private NDArray[] weights;
    private int arrived;
    private S state;
    private List<StateCodec.ModelParameter> stateModel;

    /**
     * Creates the adapter from a validated builder.
     *
     * @param builder the builder
     */
    protected WholeModelOptimizer(Builder<?> builder) {
        super(builder);
        learningRate = builder.learningRate;
        constantLearningRate = builder.constantLearningRate;
        weightDecay = builder.weightDecay;
        nonFiniteGradientPolicy = builder.nonFiniteGradientPolicy;
    }

    /**
     * Returns the state before the first step.
     *
     * @param gradient the first flat gradient, of length d (not modified): its data type, device
     *     and manager are those the state should use
     * @return the initial state, with {@code step() == 0}
     */
    protected abstract S initialState(NDArray gradient);

    /**
     * Advances the state by one step and returns the flat change of the weights.
     *
     * @param state the state after {@code state.step()} steps; it may be updated in place
     * @param gradient the processed flat gradient of length d; the rule may use it as scratch space
     * @param lr the learning rate of this step
     * @return the new state (with {@code step() + 1}) and {@code Δ}, where {@code p ← p − Δ}:
     *     {@code gradient} itself or a new array (closed by the caller), or {@code null} for none
     */
    protected abstract DescentOptimizer.Step<S> step(S state, NDArray gradient, double lr);

    /**
     * Rebuilds a state from its saved parts.
     *
     * @param step the step count
     * @param scalars the scalars, as {@link ParameterState#scalars()} returned them
     * @param buffers the tensors, as {@link ParameterState#buffers()} returned them
     * @return the state
     */
    protected abstract S restore(long step, double[] scalars, List<NDArray> buffers);

    /**
     * Returns the hyper-parameters that fix the layout of the state (e.g. M-FAC's m), by name:
     * written into checkpoints and compared by {@link #loadState} before anything is replaced. By
     * default none.
     *
     * @return the layout-fixing configuration, values as strings
     */
    protected Map<String, String> stateLayout() {
        return Map.of();
    }

    /**
     * Declares the model this optimizer trains: its parameters that require gradients, in {@code
     * block.getParameters()} order, make up the flat vector. Call it before the first step; the
     * block need not be initialized yet.
     *
     * @param block the block whose parameters this optimizer updates
     * @return this optimizer
     * @throws IllegalArgumentException when the block has no trainable parameter
     * @throws IllegalStateException when a step is half gathered
     */
    @Override
    public synchronized WholeModelOptimizer<S> bind(Block block) {
        if (arrived > 0) {
            throw new IllegalStateException("cannot rebind in the middle of a step");
        }
        List<Slot> bound = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                index.put(p.getValue().getId(), bound.size());
                bound.add(new Slot(p.getKey(), p.getValue()));
            }
        }
        if (bound.isEmpty()) {
            throw new IllegalArgumentException(
                    "the block has no parameters that require gradients");
        }
        slots = List.copyOf(bound);
        slotById = Map.copyOf(index);
        dimension = 0;
        return this;
    }

    /**
     * Takes one parameter's gradient; when it is the last of the step, runs the step over the whole
     * model. Any refusal refuses the whole step: no weight has moved, the state is unchanged, the
     * gradients of every bound parameter are cleared and the next update begins a new step.
     *
     * @param parameterId the parameter's id
     * @param weight the weight (modified when the step completes)
     * @param grad the gradient (not modified), of the weight's shape
     * @throws IllegalArgumentException when the gradient's shape is not the weight's
     * @throws IllegalStateException when no block is bound, the parameter is not in it, or a
     *     parameter arrives twice before every other has arrived
     * @throws NonFiniteGradientException when the step is refused under {@link
     *     NonFiniteGradientPolicy#THROW}
     */
    @Override
    public final synchronized void update(String parameterId, NDArray weight, NDArray grad) {
        if (slots.isEmpty()) {
            throw new IllegalStateException(
                    getClass().getSimpleName()
                            + " needs the whole model's gradient: train with"
                            + " Descent.trainingConfig(loss, optimizer), add"
                            + " BindingListener.of(optimizer) to the training config, or call"
                            + " bind(block) with the block being trained before the first step");
        }
        try {
            gather(parameterId, weight, grad);
        } catch (RuntimeException e) {
            refuseStep();
            throw e;
        }
    }

    /** Clears every bound parameter's gradient and what was gathered of the current step. */
    private void refuseStep() {
        for (Slot s : slots) {
            if (s.parameter.isInitialized()) {
                DescentOptimizer.zeroGradient(s.parameter.getArray());
            }
        }
        if (weights != null) {
            Arrays.fill(weights, null);
        }
        arrived = 0;
    }

    private void gather(String parameterId, NDArray weight, NDArray grad) {
        Integer index = slotById.get(parameterId);
        if (index == null) {
            throw new IllegalStateException(
                    "parameter id '"
                            + parameterId
                            + "' is not in the bound block: bind the block"
                            + " being trained");
        }
        if (dimension == 0) {
            layOut();
        }
        Slot slot = slots.get(index);
        if (weights[index] != null) {
            throw new IllegalStateException(
                    "parameter '"
                            + slot.name
                            + "' arrived twice before "
                            + missing()
                            + " arrived: a whole-model optimizer needs every bound parameter once"
                            + " per step, on one device (freeze unused parameters and bind again)");
        }
        if (!weight.getShape().equals(slot.shape)) {
            throw new IllegalStateException(
                    "parameter '"
                            + slot.name
                            + "' has shape "
                            + weight.getShape()
                            + ", but it had shape "
                            + slot.shape
                            + " when the model was laid out");
        }
        if (!grad.getShape().equals(slot.shape)) {
            throw new IllegalArgumentException(
                    "gradient of parameter '"
                            + slot.name
                            + "' has shape "
                            + grad.getShape()
                            + " but the weight has shape "
                            + slot.shape
                            + "; no weight moved and the state is unchanged, as the whole step was"
                            + " refused (every gradient of the step was cleared)");
        }
        if (flat == null) {
            flat = weight.getManager().zeros(new Shape(dimension), weight.getDataType());
        }
        boolean gradMode = weight instanceof PtNDArray && JniUtils.isGradMode();
        if (gradMode) {
            JniUtils.setGradMode(false);
        }
        try (NDArray g = grad.reshape(slot.size)) {
            NDIndex range = new NDIndex("{}:{}", slot.offset, slot.offset + slot.size);
            if (weightDecay == 0) {
                flat.set(range, g);
            } else {
                try (NDArray w = weight.reshape(slot.size);
                        NDArray decayed = w.mul(weightDecay).addi(g)) {
                    flat.set(range, decayed);
                }
            }
        } finally {
            if (gradMode) {
                JniUtils.setGradMode(true);
            }
        }
        DescentOptimizer.zeroGradient(weight);
        weights[index] = weight;
        arrived++;
        if (arrived == slots.size()) {
            try {
                completeStep();
            } finally {
                Arrays.fill(weights, null);
                arrived = 0;
            }
        }
    }

    private void completeStep() {
        long step = (state == null ? 0 : state.step()) + 1;
        if (nonFiniteGradientPolicy != NonFiniteGradientPolicy.UNCHECKED
                && !DescentOptimizer.isFinite(flat)) {
            if (nonFiniteGradientPolicy == NonFiniteGradientPolicy.THROW) {
                throw new NonFiniteGradientException(
                        firstNonFinite(),
                        step,
                        "no weight moved and the state is unchanged, as the whole step was"
                                + " refused (every gradient of the step was cleared; use"
                                + " NonFiniteGradientPolicy.SKIP to skip such steps)");
            }
            return;
        }
        double lr =
                learningRate == null
                        ? constantLearningRate
                        : learningRate.getNewValue(SCHEDULE_ID, Math.toIntExact(step));
        if (!Double.isFinite(lr) || lr < 0) {
            throw new IllegalStateException("learning rate at step " + step + " is " + lr);
        }
        boolean gradMode = flat instanceof PtNDArray && JniUtils.isGradMode();
        if (gradMode) {
            JniUtils.setGradMode(false);
        }
        List<NDArray> owned = new ArrayList<>(2);
        try {
            NDArray g = flat;
            if (rescaleGrad != 1f) {
                g.muli(rescaleGrad);
            }
            if (clipGrad > 0f) {
                g = Elementwise.clip(g, -clipGrad, clipGrad);
                owned.add(g);
            }
            S current = state == null ? initialState(g) : state;
            DescentOptimizer.Step<S> next = step(current, g, lr);
            NDArray delta = next.delta();
            if (delta != null) {
                if (delta != g) {
                    owned.add(delta);
                }
                for (int i = 0; i < slots.size(); i++) {
                    Slot s = slots.get(i);
                    try (NDArray part =
                                    delta.get(new NDIndex("{}:{}", s.offset, s.offset + s.size));
                            NDArray shaped = part.reshape(s.shape)) {
                        weights[i].subi(shaped);
                    }
                }
            }
            state = next.state();
        } finally {
            owned.forEach(NDArray::close);
            if (gradMode) {
                JniUtils.setGradMode(true);
            }
        }
    }

    /** Sizes and offsets of the bound parameters, known once the block is initialized. */
    private void layOut() {
        long offset = 0;
        for (Slot s : slots) {
            if (!s.parameter.isInitialized()) {
                throw new IllegalStateException("parameter '" + s.name + "' is not initialized");
            }
            s.shape = s.parameter.getArray().getShape();
            s.size = s.shape.size();
            s.offset = offset;
            offset += s.size;
        }
        requireStateFitsModel();
        dimension = offset;
        weights = new NDArray[slots.size()];
    }

    /**
     * Refuses a state built for (or loaded from a checkpoint of) another model than the one now
     * laid out, before anything is modified; remembers the model a new state is for.
     */
    private void requireStateFitsModel() {
        List<StateCodec.ModelParameter> model = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            model.add(new StateCodec.ModelParameter(s.name, s.shape));
        }
        String mismatch =
                state == null || stateModel == null
                        ? null
                        : StateCodec.modelMismatch(stateModel, model);
        if (mismatch != null) {
            throw new IllegalStateException(
                    "the optimizer state does not fit the bound block: "
                            + mismatch
                            + "; load a checkpoint of this model, or bind the model it was written"
                            + " for");
        }
        stateModel = List.copyOf(model);
    }

    private String missing() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            if (weights[i] == null) {
                names.add("'" + slots.get(i).name + "'");
            }
        }
        return String.join(", ", names);
    }

    private String firstNonFinite() {
        for (Slot s : slots) {
            try (NDArray part = flat.get(new NDIndex("{}:{}", s.offset, s.offset + s.size))) {
                if (!DescentOptimizer.isFinite(part)) {
                    return s.name;
                }
            }
        }
        return "(unknown)";
    }

    /**
     * Returns the state, or {@code null} before the first step.
     *
     * @return the state of the whole model
     */
    public synchronized S state() {
        return state;
    }

    /**
     * Returns d, the number of entries of the flat vector, or 0 before the first step.
     *
     * @return d
     */
    public synchronized long dimension() {
        return dimension;
    }

    /**
     * Returns the bytes of the state's tensors; subclasses add what they keep on the host.
     *
     * @return the number of bytes
     */
    @Override
    public synchronized long stateBytes() {
        return state == null ? 0 : StateCodec.bytes(state);
    }

    /**
     * Returns the state's live tensors by name, {@code model/<tensor>} (see {@link
     * StatefulOptimizer#stateView()}).
     *
     * @return a read-only, sorted map of the live tensors; empty before the first step
     */
    @Override
    public synchronized Map<String, NDArray> stateView() {
        Map<String, NDArray> view = new TreeMap<>();
        if (state != null) {
            StateCodec.view(StateCodec.Keys.MODEL_KEY, state, view);
        }
        return Collections.unmodifiableMap(view);
    }

    /**
     * Writes the state, the layout-fixing configuration ({@link #stateLayout()}) and the model the
     * state is for (names and shapes of the bound parameters) to a stream.
     *
     * @param out the stream (not closed)
     * @throws IOException when writing fails
     */
    @Override
    public synchronized void saveState(OutputStream out) throws IOException {
        StateCodec.write(
                out,
                getClass(),
                stateLayout(),
                StateCodec.Keys.MODEL,
                state == null || stateModel == null ? List.of() : stateModel,
                state == null ? Map.of() : Map.of(StateCodec.Keys.MODEL_KEY, state));
    }

    /**
     * Replaces the state by one written with {@link #saveState}, after checking all of it: the
     * format and checksums, the optimizer class and {@link #stateLayout()}, and, when the bound
     * block is initialized, that the checkpoint's model has the same parameter names and shapes in
     * the same order (otherwise that is checked when the first step lays the model out, before
     * anything moves).
     *
     * @param in the stream (not closed)
     * @param manager the manager that will own the restored tensors
     * @throws CheckpointException when the checkpoint is invalid or does not fit; the state is then
     *     unchanged
     * @throws IOException when reading fails
     */
    @Override
    public synchronized void loadState(InputStream in, NDManager manager) throws IOException {
        StateCodec.Checkpoint checkpoint = StateCodec.read(in);
        checkpoint.requireFitting(getClass(), stateLayout(), EnumSet.of(StateCodec.Keys.MODEL));
        S restored = null;
        List<StateCodec.ModelParameter> model = null;
        if (!checkpoint.states().isEmpty()) {
            model = checkpoint.model();
            if (model.isEmpty()) {
                throw new CheckpointException(
                        "checkpoint manifest is invalid: it holds a state but no model");
            }
            List<StateCodec.ModelParameter> current = boundModel();
            String mismatch = current == null ? null : StateCodec.modelMismatch(model, current);
            if (mismatch != null) {
                throw new CheckpointException(mismatch);
            }
            restored =
                    StateCodec.restore(
                            checkpoint.states().get(0), manager, "the model", this::restore);
        }
        S replaced = state;
        state = restored;
        stateModel = model;
        StateCodec.close(replaced);
    }

    /** The names and shapes of the bound parameters, or {@code null} until all are initialized. */
    private List<StateCodec.ModelParameter> boundModel() {
        if (slots.isEmpty()) {
            return null;
        }
        List<StateCodec.ModelParameter> model = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            if (!s.parameter.isInitialized()) {
                return null;
            }
            model.add(new StateCodec.ModelParameter(s.name, s.parameter.getArray().getShape()));
        }
        return model;
    }

    /** One bound parameter and, once laid out, its place in the flat vector. */
    private static final class Slot {
        final String name;
        final Parameter parameter;
        Shape shape;
        long size;
        long offset;

        Slot(String name, Parameter parameter) {
            this.name = name;
            this.parameter = parameter;
        }
    }

    /**
     * Options every whole-model optimizer shares, on top of DJL's ({@code setRescaleGrad}, {@code
     * optWeightDecays}, {@code optClipGrad}).
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> extends CommonBuilder<B> {

        /**
         * Creates a builder with an optimizer's reference learning rate.
         *
         * @param defaultLearningRate the learning rate
         */
        protected Builder(double defaultLearningRate) {
            super(defaultLearningRate);
        }

        /**
         * Builds the optimizer after validating every hyper-parameter.
         *
         * @return the optimizer
         * @throws IllegalArgumentException naming the first invalid value and its range
         */
        public abstract WholeModelOptimizer<?> build();
    }
}

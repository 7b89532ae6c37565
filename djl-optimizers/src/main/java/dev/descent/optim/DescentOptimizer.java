package dev.descent.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import dev.descent.curvature.HostArrays;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DJL adapter shared by every Descent optimizer: DJL calls {@link #update} once per parameter
 * per step, and this class does the plumbing around the update rule of the subclass.
 *
 * <p>Per parameter and step, in this order:
 *
 * <ol>
 *   <li>a gradient whose shape is not the weight's is refused ({@code IllegalArgumentException}
 *       naming the parameter and both shapes);
 *   <li>the gradients are checked for NaN/Inf ({@link NonFiniteGradientPolicy}): once bound to the
 *       model ({@link #bind}, {@link BindingListener}), at the first update of each step, over the
 *       gradients of every parameter of the block at once and with one device-to-host copy, so that
 *       a refused step moves no parameter and clears every gradient; unbound, per parameter (one
 *       copy each), so that parameters updated earlier in the step have moved;
 *   <li>{@code g ← clip(rescale·g, −c, c)} when DJL's {@code setRescaleGrad} / {@code optClipGrad}
 *       are set (clipping is symmetric, unlike DJL's own which only clamps above);
 *   <li>weight decay by {@link WeightDecayMode}: {@code g ← g + wd·p}, or {@code p ← p(1 − lr·wd)},
 *       or {@code p ← p(1 − wd)}, with {@code lr} and {@code wd} after any {@link ParameterRule}
 *       ({@link WeightDecayMode#DECOUPLED_AFTER_STEP} applies {@code p ← p(1 − lr·wd)} after the
 *       next item instead);
 *   <li>the rule computes {@code Δ} from its state and {@code g} (working in the gradient's buffer,
 *       which is consumed, except on the first of several devices) and the weight becomes {@code p
 *       ← p − Δ}; with {@link Builder#optCautious} {@code Δ} is first masked by {@link Cautious};
 *   <li>the gradient of the weight is zeroed, as DJL's native updates do (gradients accumulate on
 *       the PyTorch engine otherwise).
 * </ol>
 *
 * <p>Several devices (DJL's {@code optDevices}, as in its {@code ParallelTrain}): DJL updates each
 * parameter once per device per step, first on the first device with the gradient summed over the
 * devices, then on each other device with a copy of that gradient made after the first update.
 * Bound with the trainer's devices ({@link #bind(Block, Device[])}, which {@link BindingListener}
 * calls), the optimizer keeps one state per parameter and device, as DJL's own {@code Adam} does,
 * and does not consume the first device's gradient; unbound, an update on a second device is
 * refused with an error. A checkpoint holds the first device's replica; after {@link #loadState}
 * the other devices start from a copy of it. Two devices could not be tested here: DJL 0.36 maps
 * {@code Device.of("cpu", 1)} to {@code cpu()}, and its {@code Trainer} refuses the same device
 * twice, so the tests replay DJL's order of updates on one CPU.
 *
 * <p>Step counts are kept per parameter (DJL's {@code updateCount} is shared). The whole state can
 * be written with {@link #saveState} and read back with {@link #loadState}; a restored optimizer
 * continues bit-identically.
 *
 * @param <S> the state record of one parameter
 */
public abstract class DescentOptimizer<S extends ParameterState> extends Optimizer
        implements StatefulOptimizer, BindableOptimizer {

    private static final String ID_KEYS =
            "it was saved without bind(block), and DJL draws parameter ids anew in every process;"
                    + " call bind(block) before saveState and before loadState so that checkpoints"
                    + " are keyed by parameter names";

    private static final Logger LOG = LoggerFactory.getLogger(DescentOptimizer.class);

    private final ParameterTracker learningRate;
    private final double constantLearningRate;
    private final double weightDecay;
    private final WeightDecayMode weightDecayMode;
    private final NonFiniteGradientPolicy nonFiniteGradientPolicy;
    private final List<ParameterRule> rules;
    private final boolean cautious;

    private final Map<String, S> states = new ConcurrentHashMap<>();
    private final Map<String, Settings> settings = new ConcurrentHashMap<>();
    private volatile Map<String, String> names = Map.of();
    private volatile List<Pair<String, Parameter>> bound = List.of();
    private volatile Set<String> unverifiedIds;

    /** The states of the replicas on the devices after the first (several devices only). */
    private final Map<StepGuard.Key, S> replicas = new ConcurrentHashMap<>();

    private volatile Device[] devices = new Device[0];
    private volatile boolean blockBound;
    private volatile StepGuard guard;
    private final AtomicBoolean warnedUnbound = new AtomicBoolean();

    /**
     * Creates the adapter from a validated builder.
     *
     * @param builder the builder
     */
    protected DescentOptimizer(Builder<?> builder) {
        super(builder);
        learningRate = builder.learningRate;
        constantLearningRate = builder.constantLearningRate;
        weightDecay = builder.weightDecay;
        weightDecayMode = builder.weightDecayMode;
        nonFiniteGradientPolicy = builder.nonFiniteGradientPolicy;
        rules = List.copyOf(builder.rules);
        cautious = builder.cautious;
    }

    /**
     * Returns the zero state of a parameter before its first step.
     *
     * @param weight the parameter (not modified)
     * @return the initial state, with {@code step() == 0}
     */
    protected abstract S initialState(NDArray weight);

    /**
     * Returns the zero state of a parameter before its first step, for rules whose state depends on
     * which parameter it is (its name, shape or place in the bound block); by default {@link
     * #initialState(NDArray)}.
     *
     * @param parameter the parameter: id, name (after {@link #bind}) and shape
     * @param weight the parameter (not modified)
     * @return the initial state, with {@code step() == 0}
     */
    protected S initialState(ParameterInfo parameter, NDArray weight) {
        return initialState(weight);
    }

    /**
     * Returns the shape the tensor at {@code index} of {@link ParameterState#buffers()} must have
     * for a weight of shape {@code weight}; by default the weight's own. A restored or reused state
     * that does not fit is refused before the step.
     *
     * @param state the state
     * @param index the position of the tensor in {@code state.buffers()}
     * @param weight the shape of the weight
     * @return the expected shape
     */
    protected Shape expectedShape(S state, int index, Shape weight) {
        return weight;
    }

    /**
     * Returns the hyper-parameters that fix the layout of a state (which tensors and scalars it
     * holds), by name: written into checkpoints and compared by {@link #loadState} before anything
     * is replaced, so that a checkpoint of another configuration (e.g. AdaBelief without {@code
     * amsgrad} into one with it) is refused with both values named. Hyper-parameters that only
     * change the update (learning rate, betas) are not part of it. By default none.
     *
     * @return the layout-fixing configuration, values as strings
     */
    protected Map<String, String> stateLayout() {
        return Map.of();
    }

    /**
     * Returns the settings of the group a parameter belongs to, before the builder's {@link
     * ParameterRule}s refine them: by default scale 1 and the optimizer's weight decay. Optimizers
     * that treat parts of a model differently (Muon's AdamW group, PSGD-Kron's undecayed vectors)
     * override this; a matching rule then multiplies the group's learning-rate scale and, when it
     * sets one, replaces its weight decay.
     *
     * @param info the parameter's id, name and shape
     * @param weightDecay the optimizer's weight decay
     * @return the group's settings
     */
    protected Group group(ParameterInfo info, double weightDecay) {
        return new Group(1.0, weightDecay);
    }

    /**
     * The settings of a group of parameters.
     *
     * @param learningRateScale multiplies the learning rate
     * @param weightDecay the weight decay
     */
    protected record Group(double learningRateScale, double weightDecay) {}

    /**
     * Advances the state of one parameter by one step and returns the change of the weight.
     *
     * @param state the state after {@code state.step()} steps; its tensors may be updated in place
     * @param grad the processed gradient; the rule may use it as scratch space and return it as
     *     {@code Δ}
     * @param weight the weight after weight decay (not modified)
     * @param lr the learning rate of this step
     * @return the new state (with {@code step() + 1}) and {@code Δ}, where {@code p ← p − Δ}:
     *     {@code grad} itself, a new array (closed by the caller), or {@code null} for no change
     */
    protected abstract Step<S> step(S state, NDArray grad, NDArray weight, double lr);

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
     * The result of one step of a rule.
     *
     * @param state the new state
     * @param delta {@code Δ} with {@code p ← p − Δ} (the gradient buffer or a new array), or {@code
     *     null} for no change
     * @param <S> the state type
     */
    protected record Step<S>(S state, NDArray delta) {}

    /**
     * Binds the hierarchical parameter names of a block, so that {@link ParameterRule}s can match
     * names, error messages name parameters, checkpoints are keyed by name (and so can be restored
     * into a new instance of the same model, whose parameter ids differ), and a step with NaN or
     * infinite gradients is refused as a whole ({@link NonFiniteGradientPolicy}). The block need
     * not be initialized yet.
     *
     * @param block the block whose parameters this optimizer updates
     * @return this optimizer
     */
    @Override
    public DescentOptimizer<S> bind(Block block) {
        Map<String, String> byId = new HashMap<>();
        List<Pair<String, Parameter>> order = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            byId.put(p.getValue().getId(), p.getKey());
            order.add(p);
        }
        names = Map.copyOf(byId);
        bound = List.copyOf(order);
        settings.clear();
        guard =
                nonFiniteGradientPolicy == NonFiniteGradientPolicy.UNCHECKED
                        ? null
                        : new StepGuard(order, devices);
        blockBound = true;
        return this;
    }

    /**
     * Binds a block trained on several devices ({@code trainer.getDevices()}, in DJL's order): the
     * optimizer keeps one state per parameter and device, and leaves the gradient of the first
     * device's update unchanged, as DJL copies it to the other devices after that update.
     *
     * @param block the block whose parameters this optimizer updates
     * @param devices the trainer's devices
     * @return this optimizer
     */
    @Override
    public DescentOptimizer<S> bind(Block block, Device[] devices) {
        if (Arguments.notNull("devices", devices).length == 0) {
            throw new IllegalArgumentException("devices must not be empty");
        }
        this.devices = devices.clone();
        bind(block);
        return this;
    }

    /**
     * Tells whether a block was bound with {@link #bind}.
     *
     * @return whether parameter names and the block's order are known
     */
    protected final boolean isBound() {
        return blockBound;
    }

    /**
     * Returns the parameters of the block bound with {@link #bind}, in the block's order, for rules
     * that choose among a model's parameters; empty when no block is bound.
     *
     * @return id, name and shape of each parameter (the parameters must be initialized)
     */
    protected final List<ParameterInfo> boundParameters() {
        List<ParameterInfo> infos = new ArrayList<>(bound.size());
        for (Pair<String, Parameter> p : bound) {
            Parameter parameter = p.getValue();
            if (!parameter.isInitialized()) {
                throw new IllegalStateException(
                        "parameter '"
                                + p.getKey()
                                + "' of the bound block is not initialized: the optimizer needs"
                                + " the shapes of the block's parameters (trainer.initialize(...))");
            }
            infos.add(
                    new ParameterInfo(
                            parameter.getId(), p.getKey(), parameter.getArray().getShape()));
        }
        return infos;
    }

    /**
     * Updates one parameter. The gradient is consumed (the update works in its buffer, so on return
     * it holds no meaningful values) except on the first of several bound devices, and the weight's
     * own gradient is zeroed. A gradient of another shape than the weight is refused, and a step
     * with NaN or infinite gradients is refused ({@link NonFiniteGradientPolicy}), before anything
     * is modified.
     *
     * @param parameterId the parameter's id
     * @param weight the weight (modified)
     * @param grad the gradient (consumed), of the weight's shape
     * @throws IllegalArgumentException when the gradient's shape is not the weight's
     * @throws NonFiniteGradientException when the step is refused under {@link
     *     NonFiniteGradientPolicy#THROW}
     */
    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        update(parameterId, weight.getDevice(), weight, grad);
    }

    /**
     * {@link #update(String, NDArray, NDArray)} for the replica DJL updates on {@code device}; the
     * device is a separate argument so that tests can replay DJL's several-device order on one.
     */
    final void update(String parameterId, Device device, NDArray weight, NDArray grad) {
        StepGuard stepGuard = guard;
        try {
            updateReplica(parameterId, device, weight, grad, stepGuard);
        } catch (RuntimeException e) {
            if (stepGuard != null) {
                stepGuard.reset();
            }
            throw e;
        }
    }

    private void updateReplica(
            String parameterId, Device device, NDArray weight, NDArray grad, StepGuard stepGuard) {
        verifyIdKeyedCheckpoint(parameterId);
        if (!grad.getShape().equals(weight.getShape())) {
            throw new IllegalArgumentException(
                    "gradient of parameter '"
                            + names.getOrDefault(parameterId, parameterId)
                            + "' has shape "
                            + grad.getShape()
                            + " but the weight has shape "
                            + weight.getShape()
                            + "; nothing was updated");
        }
        Settings s = settings.computeIfAbsent(parameterId, id -> settingsFor(id, weight));
        boolean primary = isFirstDevice(s.info.name(), device);
        StepGuard.Key key = primary ? null : new StepGuard.Key(parameterId, device);
        StepGuard.Verdict verdict =
                stepGuard == null
                        ? nonFiniteGradientPolicy == NonFiniteGradientPolicy.UNCHECKED
                                ? StepGuard.Verdict.CHECKED
                                : StepGuard.Verdict.CHECK_OWN
                        : stepGuard.arrive(
                                parameterId,
                                device,
                                weight,
                                nonFiniteGradientPolicy,
                                this::nextStep);
        if (verdict == StepGuard.Verdict.SKIP) {
            zeroGradient(weight);
            return;
        }
        S state = primary ? states.get(parameterId) : replicas.get(key);
        long step = (state == null ? 0 : state.step()) + 1;
        if (verdict == StepGuard.Verdict.CHECK_OWN && !isFinite(grad)) {
            refuseAlone(s.info.name(), parameterId, step, weight, stepGuard);
            return;
        }
        double base =
                learningRate == null
                        ? constantLearningRate
                        : learningRate.getNewValue(parameterId, (int) step);
        double lr = base * s.learningRateScale;
        if (!Double.isFinite(lr) || lr < 0) {
            throw new IllegalStateException(
                    "learning rate of parameter '"
                            + s.info.name()
                            + "' at step "
                            + step
                            + " is "
                            + lr);
        }
        Device[] onDevices = devices;
        if (state == null) {
            state = initialState(s.info, weight);
        } else {
            if (primary && onDevices.length > 1) {
                seedReplicas(parameterId, state, onDevices);
            } else if (!primary) {
                state = relocate(key, state, weight);
            }
            checkState(s.info.name(), state, weight);
        }
        boolean gradMode = weight instanceof PtNDArray && JniUtils.isGradMode();
        if (gradMode) {
            JniUtils.setGradMode(false);
        }
        List<NDArray> owned = new ArrayList<>(2);
        try {
            // DJL copies the first device's gradient to the other devices after its update
            NDArray g = primary && onDevices.length > 1 ? own(owned, grad.duplicate()) : grad;
            if (rescaleGrad != 1f) {
                g.muli(rescaleGrad);
            }
            if (clipGrad > 0f) {
                g = own(owned, Elementwise.clip(g, -clipGrad, clipGrad));
            }
            if (s.weightDecay != 0) {
                switch (weightDecayMode) {
                    case COUPLED:
                        try (NDArray decay = weight.mul(s.weightDecay)) {
                            g.addi(decay);
                        }
                        break;
                    case DECOUPLED:
                        weight.muli(1 - lr * s.weightDecay);
                        break;
                    case FIXED:
                        weight.muli(1 - s.weightDecay);
                        break;
                    case DECOUPLED_AFTER_STEP:
                        break;
                }
            }
            NDArray original = cautious ? own(owned, g.duplicate()) : null;
            Step<S> next = step(state, g, weight, lr);
            NDArray delta = next.delta();
            if (delta != null) {
                if (delta != g) {
                    owned.add(delta);
                }
                if (cautious) {
                    Cautious.mask(delta, original);
                }
                weight.subi(delta);
                if (s.weightDecay != 0 && weightDecayMode == WeightDecayMode.DECOUPLED_AFTER_STEP) {
                    weight.muli(1 - lr * s.weightDecay);
                }
            }
            if (primary) {
                states.put(parameterId, next.state());
            } else {
                replicas.put(key, next.state());
            }
        } finally {
            owned.forEach(NDArray::close);
            if (gradMode) {
                JniUtils.setGradMode(true);
            }
        }
        zeroGradient(weight);
    }

    /** The step a parameter is about to take on the first device. */
    private long nextStep(String parameterId) {
        S state = states.get(parameterId);
        return (state == null ? 0 : state.step()) + 1;
    }

    /** Refuses one parameter whose own gradient is not finite, when its step was not checked. */
    private void refuseAlone(
            String name, String parameterId, long step, NDArray weight, StepGuard stepGuard) {
        zeroGradient(weight);
        if (stepGuard != null) {
            stepGuard.refuse(parameterId);
        }
        if (nonFiniteGradientPolicy == NonFiniteGradientPolicy.THROW) {
            if (stepGuard == null) {
                throw new NonFiniteGradientException(name, step);
            }
            throw new NonFiniteGradientException(
                    name,
                    step,
                    "its weight and optimizer state were left unchanged and its gradient cleared;"
                            + " updates of this step before it have moved, as the step could not"
                            + " be checked as a whole: the parameters of the bound block hold no"
                            + " gradient, so the gradients passed to update are not theirs");
        }
        if (stepGuard == null && warnedUnbound.compareAndSet(false, true)) {
            LOG.warn(
                    "{} skipped the NaN/Inf gradient of parameter '{}' alone; parameters updated"
                            + " earlier in the same step have moved. Bind the optimizer to the"
                            + " model (Descent.trainingConfig(loss, optimizer) or"
                            + " BindingListener.of(optimizer)) to skip whole steps.",
                    getClass().getSimpleName(),
                    name);
        }
    }

    /** Tells whether {@code device} is the first of the bound devices (or there is only one). */
    private boolean isFirstDevice(String name, Device device) {
        Device[] onDevices = devices;
        if (onDevices.length <= 1 || device.equals(onDevices[0])) {
            return true;
        }
        for (Device d : onDevices) {
            if (d.equals(device)) {
                return false;
            }
        }
        throw new IllegalStateException(
                "parameter '"
                        + name
                        + "' is updated on "
                        + device
                        + ", which is not one of the devices the optimizer was bound with, "
                        + Arrays.toString(onDevices));
    }

    /**
     * Gives the other devices a copy of the first device's state before its step, where they have
     * none (after {@link #loadState}, which restores one replica).
     */
    private void seedReplicas(String parameterId, S state, Device[] onDevices) {
        for (int i = 1; i < onDevices.length; i++) {
            StepGuard.Key key = new StepGuard.Key(parameterId, onDevices[i]);
            if (!replicas.containsKey(key)) {
                List<NDArray> copies = new ArrayList<>();
                for (NDArray b : state.buffers()) {
                    copies.add(b.duplicate());
                }
                replicas.put(key, restore(state.step(), state.scalars().clone(), copies));
            }
        }
    }

    /** Moves a replica's state to its weight's device once, after {@link #seedReplicas}. */
    private S relocate(StepGuard.Key key, S state, NDArray weight) {
        Device target = weight.getDevice();
        List<NDArray> buffers = state.buffers();
        if (buffers.stream().allMatch(b -> b.getDevice().equals(target))) {
            return state;
        }
        List<NDArray> moved = new ArrayList<>(buffers.size());
        for (NDArray b : buffers) {
            if (b.getDevice().equals(target)) {
                moved.add(b);
            } else {
                moved.add(b.toDevice(target, true));
                b.close();
            }
        }
        S relocated = restore(state.step(), state.scalars().clone(), moved);
        replicas.put(key, relocated);
        return relocated;
    }

    /**
     * Returns the state of a parameter, or {@code null} before its first step.
     *
     * @param parameterId the id DJL passes to {@link #update}
     * @return the state
     */
    public S state(String parameterId) {
        return states.get(parameterId);
    }

    /**
     * Returns the state of a parameter's replica on one of several bound devices, or {@code null}
     * before its first step.
     *
     * @param parameterId the id DJL passes to {@link #update}
     * @param device the device
     * @return the state
     */
    S state(String parameterId, Device device) {
        Device[] onDevices = devices;
        return onDevices.length <= 1 || device.equals(onDevices[0])
                ? states.get(parameterId)
                : replicas.get(new StepGuard.Key(parameterId, device));
    }

    /**
     * Returns the bytes of optimizer state held now: the tensors of every parameter's state.
     *
     * @return the number of bytes
     */
    @Override
    public long stateBytes() {
        long bytes = 0;
        for (S s : states.values()) {
            bytes += StateCodec.bytes(s);
        }
        for (S s : replicas.values()) {
            bytes += StateCodec.bytes(s);
        }
        return bytes;
    }

    /**
     * Returns the state's live tensors by name, {@code <parameter>/<tensor>} (see {@link
     * StatefulOptimizer#stateView()}); parameters are named as in checkpoints: by name after {@link
     * #bind}, else by id.
     *
     * @return a read-only, sorted map of the live tensors
     */
    @Override
    public Map<String, NDArray> stateView() {
        Map<String, String> keys = names;
        Map<String, NDArray> view = new TreeMap<>();
        states.forEach((id, s) -> StateCodec.view(keys.getOrDefault(id, id), s, view));
        return Collections.unmodifiableMap(view);
    }

    /**
     * Writes the whole state (per parameter: step count, scalars, tensors) and the layout-fixing
     * configuration ({@link #stateLayout()}) to a stream. Keys are parameter names when a block is
     * bound ({@link #bind}), otherwise parameter ids, which DJL draws anew in every process: bind
     * before saving a checkpoint that another process will resume from.
     *
     * @param out the stream (not closed)
     * @throws IOException when writing fails
     */
    @Override
    public void saveState(OutputStream out) throws IOException {
        Map<String, String> keys = names;
        Map<String, S> byKey = new TreeMap<>();
        states.forEach((id, s) -> byKey.put(keys.getOrDefault(id, id), s));
        StateCodec.write(
                out,
                getClass(),
                stateLayout(),
                keys.isEmpty() ? StateCodec.Keys.IDS : StateCodec.Keys.NAMES,
                List.of(),
                byKey);
    }

    /**
     * Replaces the whole state by one written with {@link #saveState}, after checking all of it:
     * the format and checksums, the optimizer class and {@link #stateLayout()}, and that each state
     * fits its parameter: with a block bound, its name must be in the block and, when the parameter
     * is initialized, its tensors must have the shapes {@link #expectedShape} gives (parameters not
     * initialized yet are checked at their first step). A checkpoint keyed by names needs the same
     * block bound first. A checkpoint keyed by ids (saved without {@link #bind}) only restores into
     * the parameters of the process that wrote it: with a block bound its ids must be the block's;
     * without one, the first {@link #update} of a parameter whose id it does not hold throws, drops
     * the loaded state and keeps refusing until a checkpoint is loaded again.
     *
     * @param in the stream (not closed)
     * @param manager the manager that will own the restored tensors
     * @throws CheckpointException when the checkpoint is invalid or does not fit; the state is then
     *     unchanged
     * @throws IOException when reading fails
     */
    @Override
    public void loadState(InputStream in, NDManager manager) throws IOException {
        StateCodec.Checkpoint checkpoint = StateCodec.read(in);
        checkpoint.requireFitting(
                getClass(), stateLayout(), EnumSet.of(StateCodec.Keys.IDS, StateCodec.Keys.NAMES));
        Map<String, String> bindings = names;
        Map<String, Parameter> boundById = new HashMap<>();
        for (Pair<String, Parameter> p : bound) {
            boundById.put(p.getValue().getId(), p.getValue());
        }
        Map<String, String> idByKey = idsOf(checkpoint, bindings, boundById);
        Map<String, S> restored = new HashMap<>();
        try {
            for (StateCodec.Saved saved : checkpoint.states()) {
                String key = saved.key();
                String id = idByKey.get(key);
                S state =
                        StateCodec.restore(
                                saved, manager, "parameter '" + key + "'", this::restore);
                restored.put(id, state);
                Parameter parameter = boundById.get(id);
                if (parameter != null && parameter.isInitialized()) {
                    try {
                        checkState(key, state, parameter.getArray());
                    } catch (IllegalStateException e) {
                        throw new CheckpointException("checkpoint: " + e.getMessage(), e);
                    }
                }
            }
        } catch (CheckpointException e) {
            restored.values().forEach(StateCodec::close);
            throw e;
        }
        List<S> replaced = new ArrayList<>(states.values());
        states.clear();
        states.putAll(restored);
        unverifiedIds =
                checkpoint.keys() == StateCodec.Keys.IDS && bindings.isEmpty() && !idByKey.isEmpty()
                        ? Set.copyOf(idByKey.values())
                        : null;
        replaced.addAll(replicas.values());
        replicas.clear(); // rebuilt from the restored state at the next step
        replaced.forEach(StateCodec::close);
    }

    /** Maps the keys of a checkpoint to parameter ids, refusing keys the bound block lacks. */
    private static Map<String, String> idsOf(
            StateCodec.Checkpoint checkpoint,
            Map<String, String> bindings,
            Map<String, Parameter> boundById)
            throws CheckpointException {
        Map<String, String> idByKey = new HashMap<>();
        if (checkpoint.keys() == StateCodec.Keys.NAMES) {
            if (bindings.isEmpty()) {
                throw new CheckpointException(
                        "checkpoint is keyed by parameter names: call bind(block) before loadState");
            }
            Map<String, String> idByName = new HashMap<>();
            bindings.forEach((id, name) -> idByName.put(name, id));
            for (StateCodec.Saved saved : checkpoint.states()) {
                String id = idByName.get(saved.key());
                if (id == null) {
                    throw new CheckpointException(
                            "checkpoint parameter '"
                                    + saved.key()
                                    + "' is not in the bound block, whose parameters are "
                                    + new TreeMap<>(idByName).keySet());
                }
                idByKey.put(saved.key(), id);
            }
            return idByKey;
        }
        for (StateCodec.Saved saved : checkpoint.states()) {
            if (!bindings.isEmpty() && !boundById.containsKey(saved.key())) {
                throw new CheckpointException(
                        "checkpoint is keyed by parameter ids and id '"
                                + saved.key()
                                + "' is not a parameter of the bound block: "
                                + ID_KEYS);
            }
            idByKey.put(saved.key(), saved.key());
        }
        return idByKey;
    }

    /**
     * After an id-keyed checkpoint was loaded without a bound block: the first parameter updated
     * tells whether its ids are this process's (then they are all kept) or another's (then the
     * stale state is dropped and every update refuses until a checkpoint is loaded again).
     */
    private void verifyIdKeyedCheckpoint(String parameterId) {
        Set<String> ids = unverifiedIds;
        if (ids == null) {
            return;
        }
        if (ids.contains(parameterId)) {
            unverifiedIds = null;
            return;
        }
        if (!states.isEmpty()) {
            List<S> stale = new ArrayList<>(states.values());
            states.clear();
            stale.forEach(StateCodec::close);
        }
        throw new IllegalStateException(
                "the loaded checkpoint is keyed by parameter ids and holds no state for parameter"
                        + " id '"
                        + parameterId
                        + "': "
                        + ID_KEYS
                        + " (the loaded state of "
                        + ids.size()
                        + " parameters was dropped and no weight moved)");
    }

    private Settings settingsFor(String id, NDArray weight) {
        String name = names.get(id);
        ParameterInfo info =
                name == null
                        ? ParameterInfo.unnamed(id, weight.getShape())
                        : new ParameterInfo(id, name, weight.getShape());
        Group g = group(info, weightDecay);
        for (ParameterRule rule : rules) {
            if (rule.matches().test(info)) {
                double decay =
                        Double.isNaN(rule.weightDecay()) ? g.weightDecay() : rule.weightDecay();
                return new Settings(info, g.learningRateScale() * rule.learningRateScale(), decay);
            }
        }
        return new Settings(info, g.learningRateScale(), g.weightDecay());
    }

    private void checkState(String name, S state, NDArray weight) {
        List<NDArray> buffers = state.buffers();
        for (int i = 0; i < buffers.size(); i++) {
            NDArray b = buffers.get(i);
            if (!b.getDevice().equals(weight.getDevice())) {
                throw new IllegalStateException(
                        "optimizer state of parameter '"
                                + name
                                + "' lives on "
                                + b.getDevice()
                                + " but the weight is on "
                                + weight.getDevice()
                                + ": to train on several devices, bind the optimizer with the"
                                + " trainer's devices (Descent.trainingConfig(loss, optimizer),"
                                + " BindingListener.of(optimizer) or bind(block, devices))");
            }
            Shape expected = expectedShape(state, i, weight.getShape());
            if (!b.getShape().equals(expected)) {
                throw new IllegalStateException(
                        "optimizer state of parameter '"
                                + name
                                + "' has shape "
                                + b.getShape()
                                + " but the weight has shape "
                                + weight.getShape()
                                + (expected.equals(weight.getShape())
                                        ? ""
                                        : ", which needs " + expected));
            }
        }
    }

    private static NDArray own(List<NDArray> owned, NDArray array) {
        owned.add(array);
        return array;
    }

    /**
     * Tells whether every element is finite: the sum is checked first (one reduction); only when it
     * is not finite is the array scanned for NaN and infinities, so that a finite gradient whose
     * sum overflows is not refused.
     */
    static boolean isFinite(NDArray grad) {
        try (NDArray sum = grad.sum()) {
            if (Double.isFinite(scalar(sum))) {
                return true;
            }
        }
        try (NDArray nan = grad.isNaN();
                NDArray anyNan = nan.any();
                NDArray inf = grad.isInfinite();
                NDArray anyInf = inf.any()) {
            return HostArrays.scalar(anyNan) == 0 && HostArrays.scalar(anyInf) == 0;
        }
    }

    /** Reads a scalar array of any numeric type, on any device, as a double. */
    static double scalar(NDArray array) {
        return HostArrays.scalar(array);
    }

    /** Zeroes the gradient of a weight, as DJL's native updates do. */
    static void zeroGradient(NDArray weight) {
        if (weight instanceof PtNDArray) {
            JniUtils.zeroGrad((PtNDArray) weight);
        }
    }

    private record Settings(ParameterInfo info, double learningRateScale, double weightDecay) {}

    /**
     * Options every Descent optimizer shares, on top of DJL's ({@code setRescaleGrad}, {@code
     * optWeightDecays}, {@code optClipGrad}).
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> extends CommonBuilder<B> {

        private WeightDecayMode weightDecayMode;
        private final List<ParameterRule> rules = new ArrayList<>();
        private boolean cautious;

        /**
         * Creates a builder with the reference defaults of an optimizer.
         *
         * @param defaultLearningRate the reference learning rate
         * @param defaultDecayMode the reference weight-decay mode
         */
        protected Builder(double defaultLearningRate, WeightDecayMode defaultDecayMode) {
            super(defaultLearningRate);
            weightDecayMode = defaultDecayMode;
        }

        /**
         * Sets how weight decay enters the update.
         *
         * @param mode the mode
         * @return this builder
         */
        public B optWeightDecayMode(WeightDecayMode mode) {
            weightDecayMode = mode;
            return self();
        }

        /**
         * Adds a per-parameter override; the first matching rule decides.
         *
         * @param rule the rule
         * @return this builder
         */
        public B optParameterRule(ParameterRule rule) {
            rules.add(Arguments.notNull("rule", rule));
            return self();
        }

        /**
         * Wraps the update in the Cautious mask ({@link Cautious}).
         *
         * @param enabled whether to mask
         * @return this builder
         */
        public B optCautious(boolean enabled) {
            cautious = enabled;
            return self();
        }

        /**
         * Checks the shared options; each optimizer's {@code build()} calls it first.
         *
         * @throws IllegalArgumentException naming the first invalid value and its range
         */
        @Override
        protected void validateShared() {
            super.validateShared();
            Arguments.notNull("weightDecayMode", weightDecayMode);
        }

        /**
         * Builds the optimizer after validating every hyper-parameter.
         *
         * @return the optimizer
         * @throws IllegalArgumentException naming the first invalid value and its range
         */
        public abstract DescentOptimizer<?> build();
    }
}

package dev.descent.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The step-level NaN/Inf check of a per-parameter optimizer bound to its model: DJL calls {@code
 * update} once per parameter and device, with nothing that marks where a step begins, so this class
 * finds the boundaries from the arrivals and checks every gradient of a step at its first arrival,
 * before any parameter moves.
 *
 * <p>A step begins at the first arrival after a completed step, or at an arrival of an (id, device)
 * pair already seen in the current step; it is complete when every trainable parameter of the bound
 * block has arrived once per device. A step refused by an exception ends at once, so the next
 * arrival begins a new one.
 *
 * <p>At the beginning of a step the gradients DJL's {@code Trainer} will hand over are checked: the
 * gradient of each trainable parameter of the bound block (on several devices, of each device's
 * replica, known from the arrivals of earlier steps). Their sums are added up on the device and
 * read with one device-to-host copy; only when the total is not finite is each gradient scanned, to
 * find the first offending parameter in the block's order (a finite total that overflows is not a
 * refusal). A refused step clears every one of those gradients; under {@link
 * NonFiniteGradientPolicy#THROW} it throws, under {@link NonFiniteGradientPolicy#SKIP} every
 * arrival of the rest of the step is skipped. A total of exactly zero is what the parameters hold
 * when the caller hands over gradients of its own (calling {@code update} without a backward pass
 * into the parameters): then each update checks its own gradient, as does an update of a parameter
 * whose gradients were not all part of the check (a parameter outside the bound block; on several
 * devices, the first step).
 */
final class StepGuard {

    /** What an update does after its arrival. */
    enum Verdict {
        /** The step's check covered this update's gradient and found it finite. */
        CHECKED,
        /** The step is refused: leave the weight and the state alone, clear the gradient. */
        SKIP,
        /** The step's check did not cover this gradient: check it alone. */
        CHECK_OWN
    }

    /** One replica of a parameter: its id and the device it is updated on. */
    record Key(String id, Device device) {}

    private final List<Pair<String, Parameter>> parameters;
    private final Set<String> ids;
    private final Device[] devices;
    private final Map<Key, NDArray> replicas = new HashMap<>();

    private final Set<Key> seen = new HashSet<>();
    private final Set<String> refusedIds = new HashSet<>();
    private Set<String> covered = Set.of();
    private boolean refused;
    private int expected;
    private int arrivedExpected;

    /**
     * Creates the guard of a bound block.
     *
     * @param parameters the block's parameters by name, in its order
     * @param devices the devices each parameter is updated on, in DJL's order; empty when unknown
     *     (then one)
     */
    StepGuard(List<Pair<String, Parameter>> parameters, Device[] devices) {
        this.parameters = List.copyOf(parameters);
        Set<String> all = new HashSet<>();
        for (Pair<String, Parameter> p : parameters) {
            all.add(p.getValue().getId());
        }
        this.ids = Set.copyOf(all);
        this.devices = devices.clone();
    }

    /**
     * Records an arrival and says what the update does; at the beginning of a step, checks the
     * step's gradients first.
     *
     * @param id the parameter's id
     * @param device the device DJL updates it on
     * @param weight the weight handed over (kept, on several devices, for the next steps' checks)
     * @param policy THROW or SKIP
     * @param nextStep the step a parameter (by id) is about to take, for the exception
     * @return what the update does
     * @throws NonFiniteGradientException when the step is refused under THROW (every gradient of
     *     the step is cleared first)
     */
    synchronized Verdict arrive(
            String id,
            Device device,
            NDArray weight,
            NonFiniteGradientPolicy policy,
            ToLongFunction<String> nextStep) {
        Key key = new Key(id, device);
        if (seen.isEmpty() || seen.contains(key)) {
            begin(policy, nextStep);
        }
        seen.add(key);
        if (devices.length > 1) {
            replicas.put(key, weight);
        }
        Verdict verdict =
                refused || refusedIds.contains(id)
                        ? Verdict.SKIP
                        : covered.contains(id) ? Verdict.CHECKED : Verdict.CHECK_OWN;
        if (ids.contains(id) && ++arrivedExpected == expected) {
            seen.clear();
        }
        return verdict;
    }

    /**
     * Skips the other devices' updates of a parameter whose own check refused it in this step, so
     * that the replicas stay equal.
     *
     * @param id the parameter's id
     */
    synchronized void refuse(String id) {
        refusedIds.add(id);
    }

    /** Ends the current step: the next arrival begins a new one. */
    synchronized void reset() {
        seen.clear();
        refused = false;
        refusedIds.clear();
        covered = Set.of();
    }

    private void begin(NonFiniteGradientPolicy policy, ToLongFunction<String> nextStep) {
        reset();
        arrivedExpected = 0;
        List<String> names = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> gradients = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        int trainable = 0;
        try {
            for (Pair<String, Parameter> p : parameters) {
                Parameter parameter = p.getValue();
                if (!parameter.requiresGradient() || !parameter.isInitialized()) {
                    continue;
                }
                trainable++;
                List<NDArray> arrays = replicasOf(parameter);
                for (NDArray array : arrays) {
                    if (array.hasGradient()) {
                        weights.add(array);
                        gradients.add(array.getGradient());
                        names.add(p.getKey());
                        owners.add(parameter.getId());
                    }
                }
                if (!arrays.isEmpty()) {
                    checked.add(parameter.getId());
                }
            }
            expected = trainable * Math.max(1, devices.length);
            if (gradients.isEmpty()) {
                return;
            }
            double total = total(gradients);
            if (total == 0) {
                return; // the parameters hold no gradient: updates bring their own
            }
            if (Double.isFinite(total)) {
                covered = Set.copyOf(checked);
                return;
            }
            int bad = firstNonFinite(gradients);
            if (bad < 0) {
                covered = Set.copyOf(checked); // finite: the total overflowed
                return;
            }
            weights.forEach(DescentOptimizer::zeroGradient);
            if (policy == NonFiniteGradientPolicy.THROW) {
                throw new NonFiniteGradientException(
                        names.get(bad),
                        nextStep.applyAsLong(owners.get(bad)),
                        "no parameter moved and the optimizer state is unchanged, as the whole"
                                + " step was refused; every gradient of the step was cleared, so"
                                + " the next batch trains (use NonFiniteGradientPolicy.SKIP to skip"
                                + " such steps)");
            }
            refused = true;
        } finally {
            gradients.forEach(NDArray::close);
        }
    }

    /** The arrays whose gradients feed a parameter's update, or none when they are not known. */
    private List<NDArray> replicasOf(Parameter parameter) {
        if (devices.length <= 1) {
            return List.of(parameter.getArray());
        }
        List<NDArray> arrays = new ArrayList<>(devices.length);
        for (Device d : devices) {
            NDArray replica = replicas.get(new Key(parameter.getId(), d));
            if (replica == null) {
                return List.of(); // not known before the parameter's first step
            }
            arrays.add(replica);
        }
        return arrays;
    }

    /** The sum of every gradient's entries, added up on the device and read with one copy. */
    static double total(List<NDArray> gradients) {
        NDList sums = new NDList(gradients.size());
        try {
            DataType type = gradients.get(0).getDataType();
            Device device = gradients.get(0).getDevice();
            boolean uniform = true;
            for (NDArray g : gradients) {
                sums.add(g.sum());
                uniform &= g.getDataType() == type && g.getDevice().equals(device);
            }
            if (!uniform) {
                NDList converted = new NDList(sums.size());
                for (NDArray n : sums) {
                    NDArray wide = n.toType(DataType.FLOAT64, true);
                    NDArray moved =
                            wide.getDevice().equals(device) ? wide : wide.toDevice(device, true);
                    if (moved != wide) {
                        wide.close();
                    }
                    converted.add(moved);
                }
                sums.close();
                sums = converted;
            }
            try (NDArray stacked = NDArrays.stack(sums);
                    NDArray sum = stacked.sum()) {
                return DescentOptimizer.scalar(sum);
            }
        } finally {
            sums.close();
        }
    }

    /** The index of the first gradient with a NaN or infinite value, or −1. */
    private static int firstNonFinite(List<NDArray> gradients) {
        for (int i = 0; i < gradients.size(); i++) {
            if (!DescentOptimizer.isFinite(gradients.get(i))) {
                return i;
            }
        }
        return -1;
    }
}

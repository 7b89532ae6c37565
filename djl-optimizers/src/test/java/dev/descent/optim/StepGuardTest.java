package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.descent.optim.StepGuard.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where {@link StepGuard} finds step boundaries, what its one check per step covers, and what a
 * refused step leaves. The parameters are a Linear layer's weight (first in the block's order) and
 * bias; their gradients are set by a backward pass.
 */
class StepGuardTest {

    private static final Device FIRST = Device.gpu(0);
    private static final Device SECOND = Device.gpu(1);

    private NDManager manager;
    private Block block;
    private List<Pair<String, Parameter>> parameters;
    private String w;
    private String b;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Engine.getInstance().setRandomSeed(2);
        block = Linear.builder().setUnits(3).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        parameters = new ArrayList<>();
        block.getParameters().forEach(parameters::add);
        w = parameters.get(0).getValue().getId();
        b = parameters.get(1).getValue().getId();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray array(int i) {
        return parameters.get(i).getValue().getArray();
    }

    /** Sets the gradient of every array to {@code value} (through a backward pass). */
    private static void gradients(float value, NDArray... arrays) {
        for (NDArray a : arrays) {
            DescentOptimizer.zeroGradient(a);
            a.setRequiresGradient(true);
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (NDArray a : arrays) {
                NDArray term = a.mul(value).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
    }

    private static void poison(NDArray array) {
        try (NDArray g = array.getGradient()) {
            g.set(new NDIndex("0"), Float.NaN);
        }
    }

    private static float maxAbsGradient(NDArray array) {
        try (NDArray g = array.getGradient();
                NDArray abs = g.abs();
                NDArray max = abs.max()) {
            return max.getFloat();
        }
    }

    private Verdict arrive(StepGuard guard, String id, Device device, NDArray weight) {
        return guard.arrive(id, device, weight, NonFiniteGradientPolicy.THROW, pid -> 7);
    }

    @Test
    void oneCheckAtTheFirstArrivalCoversTheStepAndACompleteStepEndsIt() {
        StepGuard guard = new StepGuard(parameters, new Device[0]);
        gradients(0.5f, array(0), array(1));
        assertThat(arrive(guard, w, Device.cpu(), array(0))).isEqualTo(Verdict.CHECKED);
        poison(array(1)); // after the step's check: not seen until the next step
        assertThat(arrive(guard, b, Device.cpu(), array(1))).isEqualTo(Verdict.CHECKED);
        // both arrived: the step is complete, and the next arrival begins one
        assertThatThrownBy(() -> arrive(guard, b, Device.cpu(), array(1)))
                .isInstanceOf(NonFiniteGradientException.class)
                .hasMessageContaining("parameter '" + parameters.get(1).getKey() + "'")
                .hasMessageContaining("at step 7")
                .hasMessageContaining("no parameter moved");
        assertThat(maxAbsGradient(array(0))).isZero();
        assertThat(maxAbsGradient(array(1))).isZero();
        // a thrown step has ended: the next arrival begins a step, whose gradients are now zero,
        // so the update checks its own gradient
        assertThat(arrive(guard, b, Device.cpu(), array(1))).isEqualTo(Verdict.CHECK_OWN);
    }

    @Test
    void aRepeatedArrivalBeginsTheNextStep() {
        StepGuard guard = new StepGuard(parameters, new Device[0]);
        gradients(0.5f, array(0), array(1));
        assertThat(arrive(guard, w, Device.cpu(), array(0))).isEqualTo(Verdict.CHECKED);
        poison(array(0));
        // the bias never arrived (unused in the forward pass), the weight again: a new step
        assertThatThrownBy(() -> arrive(guard, w, Device.cpu(), array(0)))
                .isInstanceOf(NonFiniteGradientException.class)
                .hasMessageContaining("parameter '" + parameters.get(0).getKey() + "'");
    }

    @Test
    void skipRefusesEveryArrivalOfTheStepThenChecksTheNext() {
        StepGuard guard = new StepGuard(parameters, new Device[0]);
        gradients(0.5f, array(0), array(1));
        poison(array(0));
        NonFiniteGradientPolicy skip = NonFiniteGradientPolicy.SKIP;
        assertThat(guard.arrive(b, Device.cpu(), array(1), skip, id -> 1)).isEqualTo(Verdict.SKIP);
        assertThat(maxAbsGradient(array(0))).isZero();
        assertThat(maxAbsGradient(array(1))).isZero();
        assertThat(guard.arrive(w, Device.cpu(), array(0), skip, id -> 1)).isEqualTo(Verdict.SKIP);
        gradients(0.5f, array(0), array(1));
        assertThat(guard.arrive(w, Device.cpu(), array(0), skip, id -> 1))
                .isEqualTo(Verdict.CHECKED);
    }

    @Test
    void zeroGradientsMeanTheCallerBringsItsOwnAndAFiniteOverflowIsNoRefusal() {
        StepGuard guard = new StepGuard(parameters, new Device[0]);
        assertThat(arrive(guard, w, Device.cpu(), array(0))).isEqualTo(Verdict.CHECK_OWN);
        assertThat(arrive(guard, b, Device.cpu(), array(1))).isEqualTo(Verdict.CHECK_OWN);
        gradients(3e38f, array(0), array(1)); // each norm overflows float32, every value finite
        assertThat(arrive(guard, w, Device.cpu(), array(0))).isEqualTo(Verdict.CHECKED);
        assertThat(arrive(guard, "not-in-the-block", Device.cpu(), array(0)))
                .isEqualTo(Verdict.CHECK_OWN);
    }

    @Test
    void onTwoDevicesTheReplicasAreCheckedFromTheSecondStepOn() {
        StepGuard guard = new StepGuard(parameters, new Device[] {FIRST, SECOND});
        NDArray w1 = array(0).duplicate();
        NDArray b1 = array(1).duplicate();
        gradients(0.5f, array(0), array(1), w1, b1);
        // DJL's order: each parameter on the first device, then on the second
        assertThat(arrive(guard, w, FIRST, array(0))).isEqualTo(Verdict.CHECK_OWN);
        assertThat(arrive(guard, w, SECOND, w1)).isEqualTo(Verdict.CHECK_OWN);
        assertThat(arrive(guard, b, FIRST, array(1))).isEqualTo(Verdict.CHECK_OWN);
        assertThat(arrive(guard, b, SECOND, b1)).isEqualTo(Verdict.CHECK_OWN);
        assertThat(arrive(guard, w, FIRST, array(0))).isEqualTo(Verdict.CHECKED);
        assertThat(arrive(guard, w, SECOND, w1)).isEqualTo(Verdict.CHECKED);
        assertThat(arrive(guard, b, FIRST, array(1))).isEqualTo(Verdict.CHECKED);
        poison(b1); // only on the second device, after this step's check
        assertThat(arrive(guard, b, SECOND, b1)).isEqualTo(Verdict.CHECKED);
        assertThatThrownBy(() -> arrive(guard, w, FIRST, array(0)))
                .isInstanceOf(NonFiniteGradientException.class)
                .hasMessageContaining("parameter '" + parameters.get(1).getKey() + "'");
        for (NDArray a : new NDArray[] {array(0), array(1), w1, b1}) {
            assertThat(maxAbsGradient(a)).isZero();
        }
    }

    @Test
    void aParameterRefusedAloneIsSkippedOnTheOtherDevices() {
        StepGuard guard = new StepGuard(parameters, new Device[] {FIRST, SECOND});
        assertThat(arrive(guard, w, FIRST, array(0))).isEqualTo(Verdict.CHECK_OWN);
        guard.refuse(w);
        assertThat(arrive(guard, w, SECOND, array(0))).isEqualTo(Verdict.SKIP);
        assertThat(arrive(guard, b, FIRST, array(1))).isEqualTo(Verdict.CHECK_OWN);
    }
}

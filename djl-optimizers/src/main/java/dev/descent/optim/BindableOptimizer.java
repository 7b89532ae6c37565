package dev.descent.optim;

import ai.djl.Device;
import ai.djl.nn.Block;
import java.util.Arrays;

/**
 * An optimizer that learns the parameters (names, order, devices) of the block it trains: rules
 * match names, checkpoints are keyed by them, NaN/Inf checks refuse whole steps, and whole-model
 * optimizers need the full list of parameters before their first step. The block need not be
 * initialized yet: {@link BindingListener} binds the trainer's model when the trainer is created.
 */
public interface BindableOptimizer {

    /**
     * Binds the parameters of a block.
     *
     * @param block the block whose parameters this optimizer updates
     * @return this optimizer
     */
    BindableOptimizer bind(Block block);

    /**
     * Binds the parameters of a block trained on several devices, as DJL's {@code Trainer} does
     * with {@code optDevices}: every step updates each parameter once per device, in this order. By
     * default, one device is accepted and more are refused.
     *
     * @param block the block whose parameters this optimizer updates
     * @param devices the trainer's devices ({@code trainer.getDevices()})
     * @return this optimizer
     * @throws IllegalArgumentException when the optimizer cannot train on that many devices
     */
    default BindableOptimizer bind(Block block, Device[] devices) {
        if (devices.length > 1) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName()
                            + " trains on one device, but the trainer has "
                            + Arrays.toString(devices));
        }
        return bind(block);
    }
}

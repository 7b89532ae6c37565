package dev.descent.optim;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.optimizer.Optimizer;

/**
 * A training listener that binds an optimizer to the trainer's model and devices, so that nothing
 * else is needed to train Muon, M-FAC, FRUGAL's blocks or name rules, and so that NaN/Inf gradients
 * are refused per step rather than per parameter:
 *
 * <pre>{@code
 * Optimizer muon = Descent.muon().build();
 * TrainingConfig config =
 *         new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *                 .optOptimizer(muon)
 *                 .addTrainingListeners(BindingListener.of(muon));
 * }</pre>
 *
 * <p>or, the same in one call, {@link Descent#trainingConfig(ai.djl.training.loss.Loss,
 * Optimizer)}. DJL calls {@code onTrainingBegin} when the trainer is created, in EasyTrain and
 * hand-written loops alike, before {@code trainer.initialize}; binding needs no initialized
 * parameters (what depends on their shapes is found at the first step). The listener calls {@link
 * BindableOptimizer#bind(ai.djl.nn.Block, ai.djl.Device[])} with {@code
 * trainer.getModel().getBlock()} and {@code trainer.getDevices()}.
 */
public final class BindingListener extends TrainingListenerAdapter {

    private final BindableOptimizer optimizer;

    private BindingListener(BindableOptimizer optimizer) {
        this.optimizer = optimizer;
    }

    /**
     * Returns a listener that binds an optimizer to the model of every trainer it is attached to.
     *
     * @param optimizer a Descent optimizer (one that implements {@link BindableOptimizer})
     * @return the listener
     * @throws IllegalArgumentException when the optimizer cannot be bound (e.g. one of DJL's own)
     */
    public static BindingListener of(Optimizer optimizer) {
        if (!(Arguments.notNull("optimizer", optimizer) instanceof BindableOptimizer bindable)) {
            throw new IllegalArgumentException(
                    optimizer.getClass().getName()
                            + " is not a BindableOptimizer: only Descent's optimizers are bound to"
                            + " a model");
        }
        return new BindingListener(bindable);
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        optimizer.bind(trainer.getModel().getBlock(), trainer.getDevices());
    }
}

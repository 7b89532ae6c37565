package dev.descent.optim;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

/**
 * Entry point to the optimizers of Descent, each a drop-in {@code
 * ai.djl.training.optimizer.Optimizer}:
 *
 * <pre>{@code
 * DefaultTrainingConfig config =
 *         Descent.trainingConfig(
 *                 Loss.softmaxCrossEntropyLoss(), Descent.adaBelief().optWeightDecay(1e-2).build());
 * }</pre>
 */
public final class Descent {

    private Descent() {}

    /**
     * A DJL training configuration with an optimizer and, for a Descent optimizer, the {@link
     * BindingListener} that binds it to the trainer's model and devices: {@code new
     * DefaultTrainingConfig(loss).optOptimizer(optimizer)} plus {@code
     * addTrainingListeners(BindingListener.of(optimizer))}. Bound, Muon knows its output layer,
     * M-FAC and FRUGAL's blocks see the whole model, name rules match, checkpoints are keyed by
     * name, and a step with NaN/Inf gradients is refused as a whole.
     *
     * @param loss the training loss
     * @param optimizer the optimizer (one of DJL's own gets no listener)
     * @return the configuration, to which further options can be added
     */
    public static DefaultTrainingConfig trainingConfig(Loss loss, Optimizer optimizer) {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Arguments.notNull("loss", loss))
                        .optOptimizer(Arguments.notNull("optimizer", optimizer));
        if (optimizer instanceof BindableOptimizer) {
            config.addTrainingListeners(BindingListener.of(optimizer));
        }
        return config;
    }

    /**
     * AdaBelief (adabelief_pytorch 0.2.1 defaults).
     *
     * @return a builder
     */
    public static AdaBelief.Builder adaBelief() {
        return AdaBelief.builder();
    }

    /**
     * Lion (reference defaults).
     *
     * @return a builder
     */
    public static Lion.Builder lion() {
        return Lion.builder();
    }

    /**
     * AdamW (torch.optim.AdamW defaults).
     *
     * @return a builder
     */
    public static AdamW.Builder adamW() {
        return AdamW.builder();
    }

    /**
     * FRUGAL: AdamW on a subspace, sign-SGD on the rest (fzmushko/FRUGAL pre-training defaults; the
     * block variant needs the model: {@link #trainingConfig} or {@code bind(block)}).
     *
     * @return a builder
     */
    public static Frugal.Builder frugal() {
        return Frugal.builder();
    }

    /**
     * NAdamW (torch.optim.NAdam defaults, decoupled decay).
     *
     * @return a builder
     */
    public static NAdamW.Builder nadamW() {
        return NAdamW.builder();
    }

    /**
     * RAdam (torch.optim.RAdam defaults).
     *
     * @return a builder
     */
    public static RAdam.Builder radam() {
        return RAdam.builder();
    }

    /**
     * Adamax (torch.optim.Adamax defaults).
     *
     * @return a builder
     */
    public static Adamax.Builder adamax() {
        return Adamax.builder();
    }

    /**
     * SGD with optional (Nesterov) momentum (torch.optim.SGD defaults).
     *
     * @return a builder
     */
    public static Sgd.Builder sgd() {
        return Sgd.builder();
    }

    /**
     * Adagrad (torch.optim.Adagrad defaults).
     *
     * @return a builder
     */
    public static Adagrad.Builder adagrad() {
        return Adagrad.builder();
    }

    /**
     * RMSprop (torch.optim.RMSprop defaults).
     *
     * @return a builder
     */
    public static RmsProp.Builder rmsProp() {
        return RmsProp.builder();
    }

    /**
     * Adadelta (torch.optim.Adadelta defaults).
     *
     * @return a builder
     */
    public static Adadelta.Builder adadelta() {
        return Adadelta.builder();
    }

    /**
     * Sophia (Liuhong99/Sophia defaults); {@code setBatchSize} is required, and the curvature comes
     * from a {@link SophiaCurvatureListener} attached with it.
     *
     * @return a builder
     */
    public static Sophia.Builder sophia() {
        return Sophia.builder();
    }

    /**
     * M-FAC (IST-DASLab/M-FAC defaults); a whole-model optimizer: it needs the model ({@link
     * #trainingConfig} or {@code bind(block)}).
     *
     * @return a builder
     */
    public static MFac.Builder mFac() {
        return MFac.builder();
    }

    /**
     * Returns a builder for {@link Soap} (SOAP, Adam in the eigenbasis of Shampoo's statistics),
     * with nikhilvyas/SOAP's defaults.
     *
     * @return the builder
     */
    public static Soap.Builder soap() {
        return Soap.builder();
    }

    /**
     * Returns a builder for {@link Shampoo} (per-axis inverse-root preconditioning, optional SGD or
     * Adam grafting), with kozistr/pytorch_optimizer's defaults.
     *
     * @return the builder
     */
    public static Shampoo.Builder shampoo() {
        return Shampoo.builder();
    }

    /**
     * Muon for hidden weight matrices with a built-in AdamW for the rest (KellerJordan/Muon
     * defaults); it needs the model ({@link #trainingConfig} or {@code bind(block)}) so that its
     * output layer goes to AdamW.
     *
     * @return a builder
     */
    public static Muon.Builder muon() {
        return Muon.builder();
    }

    /**
     * Scion (LIONS-EPFL/scion defaults).
     *
     * @return a builder
     */
    public static Scion.Builder scion() {
        return Scion.builder();
    }

    /**
     * PSGD-Kron (evanatyourservice/kron_torch defaults).
     *
     * @return a builder
     */
    public static PsgdKron.Builder psgdKron() {
        return PsgdKron.builder();
    }
}

package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Clipping by the global gradient norm: when {@code ‖g‖₂} over all parameters exceeds {@code
 * maxNorm}, every gradient is scaled by {@code maxNorm/(‖g‖₂ + 1e-6)} (torch's {@code
 * clip_grad_norm_}).
 *
 * <p>DJL's optimizers see one parameter at a time, so the global norm cannot be taken inside {@code
 * Optimizer.update}. It is taken between the backward pass and {@code trainer.step()}:
 *
 * <ul>
 *   <li>with {@code EasyTrain.fit}, add the listener: {@code
 *       config.addTrainingListeners(GlobalNormClipping.listener(1.0))} — DJL calls {@code
 *       onTrainingBatch} after the backward pass and before the step;
 *   <li>in a hand-written loop, call {@link #clip(List, double)} after {@code
 *       collector.backward(loss)} and before {@code trainer.step()}.
 * </ul>
 */
public final class GlobalNormClipping {

    private static final double EPS = 1e-6;

    private GlobalNormClipping() {}

    /**
     * Scales gradients in place so that their global L2 norm is at most {@code maxNorm}.
     *
     * @param gradients the gradients (modified)
     * @param maxNorm the largest norm allowed, finite and {@code > 0}
     * @return the global norm before clipping
     */
    public static double clip(List<NDArray> gradients, double maxNorm) {
        Arguments.positive("maxNorm", maxNorm);
        double sumOfSquares = 0;
        for (NDArray g : gradients) {
            try (NDArray sq = g.mul(g);
                    NDArray sum = sq.sum()) {
                sumOfSquares += DescentOptimizer.scalar(sum);
            }
        }
        double norm = Math.sqrt(sumOfSquares);
        if (norm > maxNorm) {
            double scale = maxNorm / (norm + EPS);
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
        return norm;
    }

    /**
     * Returns the gradients of the trainable, initialized parameters of a trainer's model.
     *
     * @param trainer the trainer
     * @return handles to the gradients; the caller closes them
     */
    public static List<NDArray> gradients(Trainer trainer) {
        List<NDArray> grads = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient() && parameter.isInitialized()) {
                NDArray array = parameter.getArray();
                if (array.hasGradient()) {
                    grads.add(array.getGradient());
                }
            }
        }
        return grads;
    }

    /**
     * A training listener that clips the model's gradients after each backward pass.
     *
     * @param maxNorm the largest norm allowed, finite and {@code > 0}
     * @return the listener
     */
    public static TrainingListenerAdapter listener(double maxNorm) {
        Arguments.positive("maxNorm", maxNorm);
        return new TrainingListenerAdapter() {
            @Override
            public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                List<NDArray> grads = gradients(trainer);
                try {
                    clip(grads, maxNorm);
                } finally {
                    grads.forEach(NDArray::close);
                }
            }
        };
    }
}

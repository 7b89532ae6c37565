package consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.descent.optim.Descent;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a user of the published artifacts does: an MLP trained by DJL's own EasyTrain.fit with a
 * Descent optimizer in the training configuration. The full-batch loss must fall below half its
 * initial value in {@value #EPOCHS} epochs of 8 mini-batches.
 */
class TrainThroughEasyTrainTest {

    private static final int SAMPLES = 256;
    private static final int FEATURES = 8;
    private static final int CLASSES = 3;
    private static final int EPOCHS = 40;

    @Test
    void adaBeliefLowersTheLoss() throws Exception {
        assertHalved(train(Descent.adaBelief().build()));
    }

    @Test
    void muonLowersTheLoss() throws Exception {
        assertHalved(train(Descent.muon().build()));
    }

    private static void assertHalved(double[] losses) {
        assertTrue(
                losses[1] < 0.5 * losses[0],
                "full-batch loss before and after training: " + losses[0] + ", " + losses[1]);
    }

    /** Returns the full-batch loss before and after training. */
    private static double[] train(Optimizer optimizer) throws Exception {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("mlp")) {
            NDArray[] data = teacher(manager);
            SequentialBlock block = new SequentialBlock();
            block.add(Linear.builder().setUnits(32).build());
            block.add(Activation::relu);
            block.add(Linear.builder().setUnits(CLASSES).build());
            model.setBlock(block);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            // the one line that differs from DJL's own setup: binds the optimizer to the model
            DefaultTrainingConfig config = Descent.trainingConfig(loss, optimizer);
            ArrayDataset dataset =
                    new ArrayDataset.Builder()
                            .setData(data[0])
                            .optLabels(data[1])
                            .setSampling(32, true)
                            .build();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, FEATURES));
                double before = fullBatchLoss(trainer, loss, data);
                EasyTrain.fit(trainer, EPOCHS, dataset, null);
                return new double[] {before, fullBatchLoss(trainer, loss, data)};
            }
        }
    }

    private static double fullBatchLoss(Trainer trainer, Loss loss, NDArray[] data) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList predictions = trainer.evaluate(new NDList(data[0]));
            predictions.attach(scope);
            NDArray value = loss.evaluate(new NDList(data[1]), predictions);
            value.attach(scope);
            return value.getFloat();
        }
    }

    /** Points labelled by the arg-max of a fixed random linear map (seeded). */
    private static NDArray[] teacher(NDManager manager) {
        Random random = new Random(11);
        float[] x = new float[SAMPLES * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] w = new float[FEATURES * CLASSES];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] labels = new float[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                double score = 0;
                for (int f = 0; f < FEATURES; f++) {
                    score += x[s * FEATURES + f] * w[f * CLASSES + c];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            labels[s] = best;
        }
        return new NDArray[] {
            manager.create(x, new Shape(SAMPLES, FEATURES)),
            manager.create(labels, new Shape(SAMPLES)).toType(DataType.FLOAT32, false)
        };
    }
}

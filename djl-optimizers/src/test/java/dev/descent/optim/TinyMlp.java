package dev.descent.optim;

import ai.djl.Device;
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
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

/** A 4 → 16 → 3 MLP on a fixed, seeded classification batch, trained through DJL's Trainer. */
final class TinyMlp implements AutoCloseable {

    static final int BATCH = 32;

    final Model model;
    final Trainer trainer;
    final NDArray x;
    final NDArray y;

    TinyMlp(Optimizer optimizer, TrainingListener... listeners) {
        Engine.getInstance().setRandomSeed(7);
        model = Model.newInstance("tiny-mlp", Device.cpu(), "PyTorch");
        model.setBlock(
                new SequentialBlock()
                        .add(Linear.builder().setUnits(16).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(3).build()));
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(optimizer)
                        .optDevices(new Device[] {Device.cpu()})
                        .addTrainingListeners(listeners);
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(BATCH, 4));
        NDManager manager = trainer.getManager();
        x = manager.randomNormal(new Shape(BATCH, 4));
        y = x.get(":, :3").argMax(1).toType(DataType.FLOAT32, false);
    }

    /** One forward, backward and optimizer step; returns the loss before the step. */
    float step() {
        float loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
            NDArray value = trainer.getLoss().evaluate(new NDList(y), new NDList(prediction));
            loss = value.getFloat();
            collector.backward(value);
        }
        trainer.step();
        return loss;
    }

    float loss() {
        NDArray prediction = trainer.evaluate(new NDList(x)).singletonOrThrow();
        return trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)).getFloat();
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}

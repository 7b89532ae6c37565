package dev.descent.surrogate.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.descent.onnx.OnnxException;
import dev.descent.onnx.OnnxExporter;
import dev.descent.onnx.OnnxModel;
import dev.descent.onnx.RuntimeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/**
 * Where a benchmark network comes from: an ONNX fixture exported by torch (a class-path resource),
 * or a random-weight MLP built as a DJL block and exported to ONNX in memory. Either way the
 * benchmark sees an {@link OnnxModel}, evaluated by ONNX Runtime and differentiated through the
 * graph imported into DJL.
 */
public sealed interface Network {

    /** Single-threaded sessions: the networks are small and the benchmark runs one at a time. */
    RuntimeOptions OPTIONS = new RuntimeOptions(1, 1);

    /**
     * Opens the network.
     *
     * @return the model; the caller closes it
     */
    OnnxModel open();

    /**
     * Describes the network in one line.
     *
     * @return e.g. "torch MLP 2-32-32-1 (peaks_n2_m1.onnx)"
     */
    String describe();

    /**
     * A torch-exported fixture under {@code dev/descent/surrogate/bench/} on the class path (made
     * by {@code surrogate-opt/src/main/python/export_benchmark_networks.py}).
     *
     * @param file the file name, e.g. {@code peaks_n2_m1.onnx}
     * @param architecture the layer sizes and activation, for descriptions
     */
    record Fixture(String file, String architecture) implements Network {
        /** The class-path folder of the fixtures. */
        public static final String FOLDER = "/dev/descent/surrogate/bench/";

        @Override
        public OnnxModel open() {
            try (InputStream in = Network.class.getResourceAsStream(FOLDER + file)) {
                if (in == null) {
                    throw new OnnxException(
                            "benchmark network resource not found: " + FOLDER + file);
                }
                return OnnxModel.open(in, file, OPTIONS);
            } catch (IOException e) {
                throw new OnnxException("cannot read benchmark network " + file + ": " + e, e);
            }
        }

        @Override
        public String describe() {
            return "torch " + architecture + " (" + file + ")";
        }
    }

    /**
     * A random-weight MLP with tanh (or ReLU) hidden layers: weights N(0, gain²/fan_in), biases
     * N(0, 0.1²), drawn from {@code new Random(seed)} layer by layer (weight then bias, row-major).
     *
     * @param sizes the layer widths, input first, output last
     * @param relu ReLU hidden activations instead of tanh
     * @param gain the weight scale; above 1 makes tanh networks more non-linear
     * @param seed the seed
     */
    record RandomMlp(int[] sizes, boolean relu, double gain, long seed) implements Network {

        /** The standard deviation of the biases. */
        public static final double BIAS_STD = 0.1;

        /**
         * Checks the fields.
         *
         * @throws IllegalArgumentException for fewer than two layers, a width below 1 or a gain ≤ 0
         */
        public RandomMlp {
            sizes = sizes.clone();
            if (sizes.length < 2) {
                throw new IllegalArgumentException(
                        "an MLP needs an input and an output size, got " + sizes.length);
            }
            for (int s : sizes) {
                if (s < 1) {
                    throw new IllegalArgumentException("layer sizes must be >= 1, got " + s);
                }
            }
            if (!(gain > 0)) {
                throw new IllegalArgumentException("gain must be > 0, got " + gain);
            }
        }

        @Override
        public OnnxModel open() {
            try (NDManager manager = NDManager.newBaseManager()) {
                SequentialBlock block = new SequentialBlock();
                for (int l = 1; l < sizes.length; l++) {
                    block.add(Linear.builder().setUnits(sizes[l]).build());
                    if (l < sizes.length - 1) {
                        block.add(relu ? Activation.reluBlock() : Activation.tanhBlock());
                    }
                }
                Shape input = new Shape(1, sizes[0]);
                block.initialize(manager, DataType.FLOAT32, input);
                fill(block);
                byte[] bytes = OnnxExporter.toModel(block, input).toByteArray();
                return OnnxModel.open(bytes, describe(), OPTIONS);
            }
        }

        private void fill(Block block) {
            Random random = new Random(seed);
            int layer = 0;
            for (var pair : block.getParameters()) {
                Parameter p = pair.getValue();
                Shape shape = p.getArray().getShape();
                float[] values = new float[Math.toIntExact(shape.size())];
                boolean weight = p.getType() == Parameter.Type.WEIGHT;
                double std = weight ? gain / Math.sqrt(sizes[layer]) : BIAS_STD;
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (std * random.nextGaussian());
                }
                p.getArray().set(values);
                if (!weight) {
                    layer++;
                }
            }
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder("random ");
            b.append(relu ? "ReLU" : "tanh").append(" MLP ");
            for (int l = 0; l < sizes.length; l++) {
                b.append(l == 0 ? "" : "-").append(sizes[l]);
            }
            return b.append(" (gain ")
                    .append(gain)
                    .append(", seed ")
                    .append(seed)
                    .append(')')
                    .toString();
        }

        @Override
        public int[] sizes() {
            return sizes.clone();
        }
    }
}

package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A trained ONNX network opened in ONNX Runtime: its declared inputs, outputs and opsets, and
 * batched evaluation of DJL NDArrays or {@code float[][]} rows.
 *
 * <p>This is the fast path of a surrogate: ONNX Runtime evaluates a batch without building an
 * autograd graph, and it runs graphs that cannot be imported into DJL (for example tree ensembles
 * in the {@code ai.onnx.ml} domain). It gives no derivatives; {@link OnnxImporter} turns an
 * importable graph into a differentiable DJL block, and {@link Surrogates} chooses between the two.
 *
 * <p>The model bytes are parsed as an ONNX {@code ModelProto} before ONNX Runtime sees them, so a
 * file that is not ONNX at all is rejected with a protobuf message rather than a native error;
 * either way the failure is an {@link OnnxException} naming the source. Inputs are checked against
 * the declared name, rank, fixed sizes and element type before a run, and the message says which
 * input was wrong and what was declared.
 *
 * <p>Instances are safe to evaluate from several threads (ONNX Runtime sessions are); close the
 * model to release its native session. The process-wide {@link OrtEnvironment} is shared and left
 * open.
 */
public final class OnnxModel implements AutoCloseable {

    /** The opset domain of the standard ONNX operators, as written in {@code opset_import}. */
    public static final String DEFAULT_DOMAIN = "ai.onnx";

    private final String source;
    private final byte[] bytes;
    private final OnnxMl.ModelProto proto;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Map<String, Long> opsets;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxModel(String source, byte[] bytes, RuntimeOptions options) {
        this.source = source;
        this.bytes = bytes;
        this.proto = parse(source, bytes);
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            sessionOptions.setInterOpNumThreads(options.interOpThreads());
            this.session = environment.createSession(bytes, sessionOptions);
        } catch (OrtException e) {
            throw new OnnxException(
                    "ONNX Runtime cannot load model " + source + ": " + e.getMessage(), e);
        }
        try {
            this.inputs = specs(session.getInputInfo());
            this.outputs = specs(session.getOutputInfo());
        } catch (OrtException | RuntimeException e) {
            closeQuietly();
            throw new OnnxException(
                    "cannot read the inputs and outputs of model " + source + ": " + e.getMessage(),
                    e);
        }
        Map<String, Long> domains = new LinkedHashMap<>();
        for (OnnxMl.OperatorSetIdProto id : proto.getOpsetImportList()) {
            domains.put(
                    id.getDomain().isEmpty() ? DEFAULT_DOMAIN : id.getDomain(), id.getVersion());
        }
        this.opsets = Collections.unmodifiableMap(domains);
    }

    /**
     * Opens a model file with ONNX Runtime's default thread settings.
     *
     * @param path the .onnx file
     * @return the open model
     * @throws OnnxException if the file is missing, unreadable or not a model ONNX Runtime loads
     */
    public static OnnxModel open(Path path) {
        return open(path, RuntimeOptions.DEFAULTS);
    }

    /**
     * Opens a model file.
     *
     * @param path the .onnx file
     * @param options thread settings of the session
     * @return the open model
     * @throws OnnxException if the file is missing, unreadable or not a model ONNX Runtime loads
     */
    public static OnnxModel open(Path path, RuntimeOptions options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new OnnxException("ONNX model file not found: " + path.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new OnnxException(
                    "cannot read ONNX model file " + path.toAbsolutePath() + ": " + e, e);
        }
        return new OnnxModel(path.toString(), bytes, options);
    }

    /**
     * Opens a model read from a stream; the stream is read to its end and not closed.
     *
     * @param stream the serialized model
     * @param sourceName what to call the model in error messages (e.g. a resource name)
     * @param options thread settings of the session
     * @return the open model
     * @throws OnnxException if the stream cannot be read or does not hold a model
     */
    public static OnnxModel open(InputStream stream, String sourceName, RuntimeOptions options) {
        byte[] bytes;
        try {
            bytes = stream.readAllBytes();
        } catch (IOException e) {
            throw new OnnxException("cannot read ONNX model stream " + sourceName + ": " + e, e);
        }
        return new OnnxModel(sourceName, bytes, options);
    }

    /**
     * Opens a model held in memory.
     *
     * @param bytes the serialized {@code ModelProto}; not modified (a copy is kept)
     * @param sourceName what to call the model in error messages
     * @param options thread settings of the session
     * @return the open model
     * @throws OnnxException if the bytes do not hold a model ONNX Runtime loads
     */
    public static OnnxModel open(byte[] bytes, String sourceName, RuntimeOptions options) {
        return new OnnxModel(sourceName, bytes.clone(), options);
    }

    private static OnnxMl.ModelProto parse(String source, byte[] bytes) {
        if (bytes.length == 0) {
            throw new OnnxException("ONNX model " + source + " is empty (0 bytes)");
        }
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(
                    "ONNX model "
                            + source
                            + " is corrupt or not an ONNX file ("
                            + bytes.length
                            + " bytes): "
                            + e.getMessage(),
                    e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new OnnxException(
                    "ONNX model " + source + " has no graph nodes; it is corrupt or not ONNX");
        }
        return model;
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo info : infos.values()) {
            if (!(info.getInfo() instanceof TensorInfo tensor)) {
                throw new OnnxException(
                        "value " + info.getName() + " is not a tensor (" + info.getInfo() + ")");
            }
            long[] sizes = tensor.getShape();
            String[] names = tensor.getDimensionNames();
            List<TensorSpec.Dimension> dims = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                String symbol = sizes[i] < 0 && names != null && i < names.length ? names[i] : "";
                dims.add(new TensorSpec.Dimension(sizes[i] < 0 ? -1 : sizes[i], symbol));
            }
            specs.add(new TensorSpec(info.getName(), dims, elementType(tensor)));
        }
        return List.copyOf(specs);
    }

    private static ElementType elementType(TensorInfo tensor) {
        String name = tensor.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
        try {
            return ElementType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new OnnxException("unsupported ONNX element type " + name, e);
        }
    }

    /**
     * Returns the name used for this model in messages (its path or the name it was given).
     *
     * @return the source name
     */
    public String source() {
        return source;
    }

    /**
     * Returns the graph inputs that must be fed (initializers are not listed).
     *
     * @return the inputs, in graph order
     */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /**
     * Returns the graph outputs.
     *
     * @return the outputs, in graph order
     */
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /**
     * Returns the opset version of each operator domain the model imports; the standard domain is
     * {@link #DEFAULT_DOMAIN}.
     *
     * @return domain to version, in the model's order
     */
    public Map<String, Long> opsets() {
        return opsets;
    }

    /**
     * Returns the opset version of the standard ONNX operators.
     *
     * @return the version, or 0 if the model imports only other domains
     */
    public long opset() {
        return opsets.getOrDefault(DEFAULT_DOMAIN, 0L);
    }

    /**
     * Returns the parsed model, for importers and inspectors.
     *
     * @return the model proto (immutable)
     */
    public OnnxMl.ModelProto proto() {
        return proto;
    }

    /**
     * Returns the single input of a model that must have exactly one.
     *
     * @return the input
     * @throws OnnxException if the model has several inputs (naming them) or none
     */
    public TensorSpec singleInput() {
        if (inputs.size() != 1) {
            throw new OnnxException(
                    "model "
                            + source
                            + " has "
                            + inputs.size()
                            + " inputs "
                            + inputs
                            + " where exactly one was expected; feed them by name with run(Map)");
        }
        return inputs.get(0);
    }

    /**
     * Returns the single output of a model that must have exactly one.
     *
     * @return the output
     * @throws OnnxException if the model has several outputs (naming them) or none
     */
    public TensorSpec singleOutput() {
        if (outputs.size() != 1) {
            throw new OnnxException(
                    "model "
                            + source
                            + " has "
                            + outputs.size()
                            + " outputs "
                            + outputs
                            + " where exactly one was expected; use run(Map)");
        }
        return outputs.get(0);
    }

    /**
     * Evaluates a batch of rows on a model with one input of shape {@code [batch, n]} and one
     * output; each output row is the flattened output of one input row.
     *
     * @param batch the rows, each of length n; not modified
     * @return one output row per input row
     * @throws OnnxException if the model does not have one rank-2 input and one output, or a row
     *     has the wrong length
     */
    public float[][] evaluate(float[][] batch) {
        TensorSpec input = singleInput();
        singleOutput();
        if (input.rank() != 2) {
            throw new OnnxException(
                    "evaluate(float[][]) needs an input of rank 2 [batch, n], but model "
                            + source
                            + " declares input "
                            + input);
        }
        if (batch.length == 0) {
            return new float[0][];
        }
        int width = batch[0].length;
        float[] flat = new float[batch.length * width];
        for (int r = 0; r < batch.length; r++) {
            if (batch[r].length != width) {
                throw new OnnxException(
                        "row "
                                + r
                                + " of the batch for input '"
                                + input.name()
                                + "' has length "
                                + batch[r].length
                                + " but row 0 has "
                                + width);
            }
            System.arraycopy(batch[r], 0, flat, r * width, width);
        }
        long[] shape = {batch.length, width};
        checkShape(input, shape);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(flat, new Shape(shape));
            if (input.type() == ElementType.DOUBLE) {
                x = x.toType(DataType.FLOAT64, false);
            }
            NDArray y = run(Map.of(input.name(), x)).values().iterator().next();
            float[] out = y.toType(DataType.FLOAT32, false).toFloatArray();
            int cols = out.length / batch.length;
            float[][] rows = new float[batch.length][];
            for (int r = 0; r < batch.length; r++) {
                rows[r] = Arrays.copyOfRange(out, r * cols, (r + 1) * cols);
            }
            return rows;
        }
    }

    /**
     * Evaluates a model with one input and one output.
     *
     * @param x the input batch, of the declared element type and shape; not modified
     * @return the output, attached to {@code x}'s manager
     * @throws OnnxException if the model has several inputs or outputs, or {@code x} does not fit
     */
    public NDArray evaluate(NDArray x) {
        TensorSpec input = singleInput();
        singleOutput();
        return run(Map.of(input.name(), x)).values().iterator().next();
    }

    /**
     * Evaluates the model on named inputs.
     *
     * @param feeds one array per declared input, keyed by input name; not modified
     * @return every output by name, in declared order, attached to the first feed's manager
     * @throws OnnxException naming the input if one is missing, unknown, or of the wrong shape or
     *     element type, or if ONNX Runtime fails
     * @throws IllegalStateException if the model is closed
     */
    public Map<String, NDArray> run(Map<String, NDArray> feeds) {
        if (closed.get()) {
            throw new IllegalStateException("model " + source + " is closed");
        }
        if (feeds.isEmpty()) {
            throw new OnnxException("no inputs fed to model " + source + "; it declares " + inputs);
        }
        for (String name : feeds.keySet()) {
            if (inputs.stream().noneMatch(s -> s.name().equals(name))) {
                throw new OnnxException(
                        "model "
                                + source
                                + " has no input named '"
                                + name
                                + "'; inputs: "
                                + inputs);
            }
        }
        NDManager manager = feeds.values().iterator().next().getManager();
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (TensorSpec spec : inputs) {
                NDArray x = feeds.get(spec.name());
                if (x == null) {
                    throw new OnnxException(
                            "input '"
                                    + spec.name()
                                    + "' of model "
                                    + source
                                    + " was not fed; it expects "
                                    + spec);
                }
                checkShape(spec, x.getShape().getShape());
                tensors.put(spec.name(), toTensor(spec, x));
            }
            Map<String, NDArray> results = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(tensors)) {
                for (Map.Entry<String, OnnxValue> entry : result) {
                    results.put(entry.getKey(), toArray(entry.getKey(), entry.getValue(), manager));
                }
            }
            return results;
        } catch (OrtException e) {
            throw new OnnxException(
                    "ONNX Runtime failed to evaluate model " + source + ": " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private void checkShape(TensorSpec spec, long[] shape) {
        if (!spec.accepts(shape)) {
            throw new OnnxException(
                    "input '"
                            + spec.name()
                            + "' of model "
                            + source
                            + " expects shape "
                            + spec.shapeString()
                            + ", got "
                            + new Shape(shape));
        }
    }

    private OnnxTensor toTensor(TensorSpec spec, NDArray x) throws OrtException {
        ElementType actual = ElementType.fromDjl(x.getDataType());
        if (actual != spec.type()) {
            throw new OnnxException(
                    "input '"
                            + spec.name()
                            + "' of model "
                            + source
                            + " expects element type "
                            + spec.type()
                            + ", got "
                            + actual
                            + " ("
                            + x.getDataType()
                            + ")");
        }
        long[] shape = x.getShape().getShape();
        return switch (spec.type()) {
            case FLOAT ->
                    OnnxTensor.createTensor(environment, FloatBuffer.wrap(x.toFloatArray()), shape);
            case DOUBLE ->
                    OnnxTensor.createTensor(
                            environment, DoubleBuffer.wrap(x.toDoubleArray()), shape);
            case INT64 ->
                    OnnxTensor.createTensor(environment, LongBuffer.wrap(x.toLongArray()), shape);
            case INT32 ->
                    OnnxTensor.createTensor(environment, IntBuffer.wrap(x.toIntArray()), shape);
            default ->
                    throw new OnnxException(
                            "input '"
                                    + spec.name()
                                    + "' of model "
                                    + source
                                    + " has element type "
                                    + spec.type()
                                    + ", which this bridge does not feed (FLOAT, DOUBLE, INT64, INT32)");
        };
    }

    private NDArray toArray(String name, OnnxValue value, NDManager manager) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new OnnxException(
                    "output '" + name + "' of model " + source + " is not a tensor: " + value);
        }
        Shape shape = new Shape(tensor.getInfo().getShape());
        return switch (tensor.getInfo().type) {
            case FLOAT -> manager.create(copy(tensor.getFloatBuffer()), shape);
            case DOUBLE -> manager.create(copy(tensor.getDoubleBuffer()), shape);
            case INT64 -> manager.create(copy(tensor.getLongBuffer()), shape);
            case INT32 -> manager.create(copy(tensor.getIntBuffer()), shape);
            default ->
                    throw new OnnxException(
                            "output '"
                                    + name
                                    + "' of model "
                                    + source
                                    + " has element type "
                                    + tensor.getInfo().type
                                    + ", which this bridge does not read (FLOAT, DOUBLE, INT64, INT32)");
        };
    }

    private static float[] copy(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static double[] copy(DoubleBuffer b) {
        double[] a = new double[b.remaining()];
        b.get(a);
        return a;
    }

    private static long[] copy(LongBuffer b) {
        long[] a = new long[b.remaining()];
        b.get(a);
        return a;
    }

    private static int[] copy(IntBuffer b) {
        int[] a = new int[b.remaining()];
        b.get(a);
        return a;
    }

    /**
     * Returns the serialized model, read-only.
     *
     * @return a read-only view of the bytes the model was opened from
     */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** Closes the native ONNX Runtime session; closing a closed model does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxException("cannot close the session of model " + source, e);
        }
    }

    private void closeQuietly() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // already failing with a more useful message
        }
    }

    @Override
    public String toString() {
        return "OnnxModel["
                + source
                + ", opsets "
                + opsets
                + ", inputs "
                + inputs
                + ", outputs "
                + outputs
                + "]";
    }
}

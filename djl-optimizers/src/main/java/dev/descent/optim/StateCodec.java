package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The checkpoint format shared by {@link DescentOptimizer} and {@link WholeModelOptimizer}, version
 * 2. A checkpoint is read and checked whole on the host — both checksums, every count, length,
 * shape, data type and size — before any tensor is created, so that a truncated, corrupted or
 * foreign stream fails with a {@link CheckpointException} and never allocates more than the bytes
 * it actually holds.
 *
 * <p>Layout (integers big-endian, as {@link DataOutputStream} writes them; a string is an int32
 * byte length and that many bytes of UTF-8):
 *
 * <pre>
 * int32   magic 0x44534F53 ("DSOS")
 * int32   version, 2
 * int32   M, the length of the manifest in bytes
 * M bytes manifest:
 *           string  the optimizer's class name
 *           int32   n, then n pairs of strings: the layout-fixing configuration (sorted by key)
 *           int8    keys: 0 parameter ids, 1 parameter names (after bind), 2 one whole-model state
 *           int32   n, then n of (string name, shape): the model of a whole-model state
 *           int32   n, then n states: string key, int64 step (&gt;= 0),
 *                   int32 k and k float64 scalars, int32 k and k tensors (int8 data type, shape)
 * int32   CRC32 of every byte before it
 * data:   the bytes of every tensor in manifest order, little-endian, row-major
 * int32   CRC32 of the data
 * </pre>
 *
 * <p>A shape is an int32 rank in [0, {@value #MAX_RANK}] and that many int64 sizes; data types are
 * coded 1 float32, 2 float64, 3 float16, 4 bfloat16, 5 int8, 6 uint8, 7 int16, 8 int32, 9 int64, 10
 * boolean. A tensor holds at most {@value #MAX_TENSOR_BYTES} bytes (one Java array). Version 1 (no
 * checksum, tensors in DJL's own encoding) is refused: it cannot be validated before decoding.
 */
final class StateCodec {

    static final int MAGIC = 0x44534f53; // "DSOS"
    static final int VERSION = 2;

    /** The largest rank of a tensor or model parameter. */
    static final int MAX_RANK = 32;

    /** The largest manifest, and the largest tensor, in bytes: the largest Java array. */
    static final int MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

    /** The longest string (class name, key, configuration entry) in bytes. */
    static final int MAX_STRING_BYTES = 1 << 16;

    private static final int HEADER_BYTES = 12;
    private static final int CHUNK = 1 << 16;

    private static final DataType[] TYPES = {
        DataType.FLOAT32,
        DataType.FLOAT64,
        DataType.FLOAT16,
        DataType.BFLOAT16,
        DataType.INT8,
        DataType.UINT8,
        DataType.INT16,
        DataType.INT32,
        DataType.INT64,
        DataType.BOOLEAN
    };

    private StateCodec() {}

    /** What the keys of the states are. */
    enum Keys {
        /** Parameter ids (no block bound): valid in the writing process only. */
        IDS,
        /** Hierarchical parameter names of the bound block. */
        NAMES,
        /** One state of the whole model, keyed {@value #MODEL_KEY}. */
        MODEL;

        static final String MODEL_KEY = "model";
    }

    /**
     * A tensor as read back, on the host.
     *
     * @param type the data type
     * @param shape the shape
     * @param data the row-major little-endian bytes, {@code shape.size() · type bytes} of them
     */
    record HostTensor(DataType type, Shape shape, byte[] data) {}

    /**
     * A state as read back, before the optimizer rebuilds its record from it.
     *
     * @param key the parameter's name or id, or {@value Keys#MODEL_KEY}
     * @param step the step count
     * @param scalars the scalars
     * @param tensors the tensors, in {@link ParameterState#buffers()} order
     */
    record Saved(String key, long step, double[] scalars, List<HostTensor> tensors) {}

    /**
     * A parameter of the model a whole-model state was built for.
     *
     * @param name the parameter's name
     * @param shape its shape
     */
    record ModelParameter(String name, Shape shape) {}

    /**
     * A whole checkpoint as read back, validated on the host.
     *
     * @param type the class name of the optimizer that wrote it
     * @param layout its layout-fixing configuration
     * @param keys what the state keys are
     * @param model the model of a whole-model state; empty otherwise
     * @param states the states
     */
    record Checkpoint(
            String type,
            Map<String, String> layout,
            Keys keys,
            List<ModelParameter> model,
            List<Saved> states) {

        /**
         * Requires this checkpoint to be one the optimizer can restore: written by its class, with
         * the same layout-fixing configuration, and keyed in one of the given ways.
         */
        void requireFitting(Class<?> optimizer, Map<String, String> expected, Set<Keys> allowed)
                throws CheckpointException {
            if (!type.equals(optimizer.getName())) {
                throw new CheckpointException(
                        "checkpoint was written by " + type + ", not by " + optimizer.getName());
            }
            Set<String> names = new HashSet<>(expected.keySet());
            names.addAll(layout.keySet());
            for (String name : sorted(names)) {
                String found = layout.get(name);
                String wanted = expected.get(name);
                if (!String.valueOf(found).equals(String.valueOf(wanted))) {
                    throw new CheckpointException(
                            "checkpoint was written with "
                                    + name
                                    + " = "
                                    + (found == null ? "(not set)" : found)
                                    + ", but this "
                                    + optimizer.getSimpleName()
                                    + " has "
                                    + name
                                    + " = "
                                    + (wanted == null ? "(not set)" : wanted)
                                    + ", which gives its state another layout");
                }
            }
            if (!allowed.contains(keys)) {
                throw new CheckpointException(
                        "checkpoint holds "
                                + describe(keys)
                                + ", but "
                                + optimizer.getSimpleName()
                                + " keeps "
                                + describe(allowed.iterator().next()));
            }
        }

        private static List<String> sorted(Set<String> names) {
            List<String> list = new ArrayList<>(names);
            Collections.sort(list);
            return list;
        }

        private static String describe(Keys keys) {
            return keys == Keys.MODEL ? "one state of the whole model" : "a state per parameter";
        }
    }

    /**
     * Rebuilds an optimizer's state record from its saved parts.
     *
     * @param <S> the state type
     */
    @FunctionalInterface
    interface Restorer<S> {
        S restore(long step, double[] scalars, List<NDArray> buffers);
    }

    /**
     * Writes a checkpoint.
     *
     * @param out the stream (not closed)
     * @param optimizer the optimizer's class
     * @param layout its layout-fixing configuration
     * @param keys what the keys of {@code states} are
     * @param model the model of a whole-model state, or empty
     * @param states the states by key, in the order to write
     */
    static void write(
            OutputStream out,
            Class<?> optimizer,
            Map<String, String> layout,
            Keys keys,
            List<ModelParameter> model,
            Map<String, ? extends ParameterState> states)
            throws IOException {
        requireLittleEndianHost();
        ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
        DataOutputStream manifest = new DataOutputStream(manifestBytes);
        writeString(manifest, optimizer.getName());
        Map<String, String> sortedLayout = new TreeMap<>(layout);
        manifest.writeInt(sortedLayout.size());
        for (Map.Entry<String, String> e : sortedLayout.entrySet()) {
            writeString(manifest, e.getKey());
            writeString(manifest, e.getValue());
        }
        manifest.writeByte(keys.ordinal());
        manifest.writeInt(model.size());
        for (ModelParameter p : model) {
            writeString(manifest, p.name());
            writeShape(manifest, p.shape());
        }
        manifest.writeInt(states.size());
        List<NDArray> tensors = new ArrayList<>();
        for (Map.Entry<String, ? extends ParameterState> e : states.entrySet()) {
            ParameterState s = e.getValue();
            writeString(manifest, e.getKey());
            manifest.writeLong(s.step());
            double[] scalars = s.scalars();
            manifest.writeInt(scalars.length);
            for (double v : scalars) {
                manifest.writeDouble(v);
            }
            List<NDArray> buffers = s.buffers();
            manifest.writeInt(buffers.size());
            for (NDArray b : buffers) {
                manifest.writeByte(typeCode(b.getDataType(), e.getKey()));
                writeShape(manifest, b.getShape());
                tensors.add(b);
            }
        }
        manifest.flush();
        if (manifestBytes.size() > MAX_TENSOR_BYTES) {
            throw new CheckpointException(
                    "the checkpoint's manifest would have "
                            + manifestBytes.size()
                            + " bytes, more than "
                            + MAX_TENSOR_BYTES);
        }
        byte[] body = manifestBytes.toByteArray();
        ByteBuffer header =
                ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putInt(body.length);
        CRC32 crc = new CRC32();
        crc.update(header.array());
        crc.update(body);
        out.write(header.array());
        out.write(body);
        writeInt(out, (int) crc.getValue());
        crc.reset();
        byte[] chunk = new byte[CHUNK];
        for (NDArray t : tensors) {
            ByteBuffer data = t.toByteBuffer();
            long expected = t.size() * t.getDataType().getNumOfBytes();
            if (data.remaining() != expected) {
                throw new CheckpointException(
                        "a state tensor of shape "
                                + t.getShape()
                                + " gave "
                                + data.remaining()
                                + " bytes, expected "
                                + expected);
            }
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                crc.update(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
        writeInt(out, (int) crc.getValue());
        out.flush();
    }

    /**
     * Reads a whole checkpoint onto the host and validates it, creating no tensor.
     *
     * @param in the stream (not closed; read up to the end of the checkpoint)
     * @return the checkpoint
     * @throws CheckpointException when it is truncated, corrupted, of another version, or a count,
     *     length, shape, type or size does not hold
     * @throws IOException when reading fails
     */
    static Checkpoint read(InputStream in) throws IOException {
        requireLittleEndianHost();
        byte[] magic = in.readNBytes(4);
        if (magic.length == 0) {
            throw new CheckpointException(
                    "the stream is empty, not a Descent optimizer checkpoint");
        }
        if (magic.length < 4 || ByteBuffer.wrap(magic).getInt() != MAGIC) {
            throw new CheckpointException("not a Descent optimizer checkpoint (bad magic number)");
        }
        byte[] rest = readFully(in, HEADER_BYTES - 4, "the header");
        ByteBuffer header = ByteBuffer.wrap(rest);
        int version = header.getInt();
        if (version == 1) {
            throw new CheckpointException(
                    "checkpoint has format version 1, which had no checksum and cannot be"
                            + " validated before decoding; it is no longer read: save the state"
                            + " again with this version (format "
                            + VERSION
                            + ")");
        }
        if (version != VERSION) {
            throw new CheckpointException(
                    "unsupported checkpoint version " + version + ", expected " + VERSION);
        }
        int length = header.getInt();
        if (length < 0 || length > MAX_TENSOR_BYTES) {
            throw new CheckpointException(
                    "checkpoint is corrupted: its manifest length "
                            + length
                            + " is outside [0, "
                            + MAX_TENSOR_BYTES
                            + "]");
        }
        byte[] body = readFully(in, length, "the manifest");
        int stored = ByteBuffer.wrap(readFully(in, 4, "the manifest checksum")).getInt();
        CRC32 crc = new CRC32();
        crc.update(magic);
        crc.update(rest);
        crc.update(body);
        requireChecksum("manifest", stored, crc);
        Checkpoint checkpoint = new ManifestReader(body).checkpoint();
        crc.reset();
        List<Saved> states = new ArrayList<>(checkpoint.states().size());
        for (Saved s : checkpoint.states()) {
            List<HostTensor> tensors = new ArrayList<>(s.tensors().size());
            for (int i = 0; i < s.tensors().size(); i++) {
                HostTensor t = s.tensors().get(i);
                int bytes = Math.toIntExact(t.shape().size() * t.type().getNumOfBytes());
                byte[] data = readFully(in, bytes, "tensor " + i + " of '" + s.key() + "'");
                crc.update(data);
                tensors.add(new HostTensor(t.type(), t.shape(), data));
            }
            states.add(new Saved(s.key(), s.step(), s.scalars(), List.copyOf(tensors)));
        }
        requireChecksum(
                "tensor data",
                ByteBuffer.wrap(readFully(in, 4, "the data checksum")).getInt(),
                crc);
        return new Checkpoint(
                checkpoint.type(),
                checkpoint.layout(),
                checkpoint.keys(),
                checkpoint.model(),
                List.copyOf(states));
    }

    /**
     * Creates the tensors of a validated state and lets the optimizer rebuild its record; on any
     * failure every tensor created is closed.
     *
     * @param saved the state
     * @param manager the manager that will own the tensors
     * @param owner what the state belongs to, for messages ("parameter 'x'")
     * @param restorer the optimizer's {@code restore}
     * @return the state
     * @throws CheckpointException when the optimizer cannot rebuild a state from these parts
     */
    static <S extends ParameterState> S restore(
            Saved saved, NDManager manager, String owner, Restorer<S> restorer)
            throws CheckpointException {
        List<NDArray> buffers = new ArrayList<>(saved.tensors().size());
        try {
            for (HostTensor t : saved.tensors()) {
                ByteBuffer data = ByteBuffer.wrap(t.data()).order(ByteOrder.nativeOrder());
                buffers.add(manager.create(data, t.shape(), t.type()));
            }
            S state = restorer.restore(saved.step(), saved.scalars().clone(), List.copyOf(buffers));
            if (state.step() != saved.step()
                    || state.buffers().size() != buffers.size()
                    || state.scalars().length != saved.scalars().length) {
                throw new IllegalArgumentException(
                        "it kept "
                                + state.buffers().size()
                                + " tensors and "
                                + state.scalars().length
                                + " scalars of the "
                                + buffers.size()
                                + " and "
                                + saved.scalars().length
                                + " saved");
            }
            return state;
        } catch (RuntimeException e) {
            buffers.forEach(NDArray::close);
            throw new CheckpointException(
                    "the saved state of "
                            + owner
                            + " ("
                            + buffers.size()
                            + " of "
                            + saved.tensors().size()
                            + " tensors, "
                            + saved.scalars().length
                            + " scalars) does not fit this optimizer: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Describes how a checkpoint's model differs from the bound one, or {@code null} if not. */
    static String modelMismatch(List<ModelParameter> saved, List<ModelParameter> bound) {
        if (saved.equals(bound)) {
            return null;
        }
        StringBuilder s =
                new StringBuilder("checkpoint is of a model with ")
                        .append(saved.size())
                        .append(" parameters (d = ")
                        .append(dimension(saved))
                        .append("), the bound block has ")
                        .append(bound.size())
                        .append(" (d = ")
                        .append(dimension(bound))
                        .append(")");
        for (int i = 0; i < Math.max(saved.size(), bound.size()); i++) {
            ModelParameter a = i < saved.size() ? saved.get(i) : null;
            ModelParameter b = i < bound.size() ? bound.get(i) : null;
            if (a == null || !a.equals(b)) {
                s.append(": parameter ")
                        .append(i)
                        .append(" is ")
                        .append(describe(a))
                        .append(" in the checkpoint and ")
                        .append(describe(b))
                        .append(" in the block");
                break;
            }
        }
        return s.toString();
    }

    private static String describe(ModelParameter p) {
        return p == null ? "absent" : "'" + p.name() + "' " + p.shape();
    }

    private static long dimension(List<ModelParameter> model) {
        long d = 0;
        for (ModelParameter p : model) {
            d += p.shape().size();
        }
        return d;
    }

    /**
     * Returns the named view of one state: {@code prefix/name} for each of its buffers, the live
     * tensors themselves.
     */
    static void view(String prefix, ParameterState state, Map<String, NDArray> into) {
        List<NDArray> buffers = state.buffers();
        List<String> names = state.bufferNames();
        if (names.size() != buffers.size()) {
            throw new IllegalStateException(
                    state.getClass().getName()
                            + " names "
                            + names.size()
                            + " buffers but holds "
                            + buffers.size());
        }
        for (int i = 0; i < buffers.size(); i++) {
            into.put(prefix + "/" + names.get(i), buffers.get(i));
        }
    }

    /** Closes the tensors of a state. */
    static void close(ParameterState state) {
        if (state != null) {
            state.buffers().forEach(NDArray::close);
        }
    }

    /** The bytes of the tensors of a state. */
    static long bytes(ParameterState s) {
        long bytes = 0;
        for (NDArray a : s.buffers()) {
            bytes += a.size() * a.getDataType().getNumOfBytes();
        }
        return bytes;
    }

    private static void requireChecksum(String part, int stored, CRC32 crc)
            throws CheckpointException {
        if (stored != (int) crc.getValue()) {
            throw new CheckpointException(
                    String.format(
                            "checkpoint is corrupted: the %s checksum is %08x, the bytes give %08x",
                            part, stored, (int) crc.getValue()));
        }
    }

    /** Reads exactly {@code n} bytes, allocating no more than the stream delivers. */
    private static byte[] readFully(InputStream in, int n, String part) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new CheckpointException(
                    "checkpoint is truncated: "
                            + part
                            + " needs "
                            + n
                            + " bytes, the stream ends after "
                            + bytes.length);
        }
        return bytes;
    }

    private static void requireLittleEndianHost() throws CheckpointException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new CheckpointException(
                    "checkpoints hold little-endian tensor data; this host is big-endian");
        }
    }

    private static int typeCode(DataType type, String key) throws CheckpointException {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i] == type) {
                return i + 1;
            }
        }
        throw new CheckpointException(
                "state of '" + key + "' holds a tensor of type " + type + ", which is not saved");
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new CheckpointException(
                    "a string of "
                            + bytes.length
                            + " bytes is longer than the "
                            + MAX_STRING_BYTES
                            + " a checkpoint holds: "
                            + s.substring(0, 40)
                            + "...");
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void writeShape(DataOutputStream out, Shape shape) throws IOException {
        out.writeInt(shape.dimension());
        for (long size : shape.getShape()) {
            out.writeLong(size);
        }
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(v).array());
    }

    /** Parses a manifest whose checksum holds, checking every field against what is left. */
    private static final class ManifestReader {

        /** The fewest bytes a state takes: key length, step, scalar count, tensor count. */
        private static final int MIN_STATE_BYTES = 4 + 8 + 4 + 4;

        /** The fewest bytes a tensor's description takes: type code and rank. */
        private static final int MIN_TENSOR_BYTES = 1 + 4;

        private final ByteBuffer in;

        ManifestReader(byte[] manifest) {
            in = ByteBuffer.wrap(manifest);
        }

        Checkpoint checkpoint() throws CheckpointException {
            try {
                String type = string("the optimizer's class name");
                int entries = count("configuration entries", 8);
                Map<String, String> layout = new LinkedHashMap<>();
                for (int i = 0; i < entries; i++) {
                    String key = string("configuration entry " + i);
                    String value = string("the value of configuration entry '" + key + "'");
                    if (layout.put(key, value) != null) {
                        throw corrupt("configuration entry '" + key + "' appears twice");
                    }
                }
                int code = in.get();
                if (code < 0 || code >= Keys.values().length) {
                    throw corrupt("key kind " + code + " is not 0, 1 or 2");
                }
                Keys keys = Keys.values()[code];
                int parameters = count("model parameters", 8);
                List<ModelParameter> model = new ArrayList<>(parameters);
                for (int i = 0; i < parameters; i++) {
                    String name = string("the name of model parameter " + i);
                    model.add(new ModelParameter(name, shape("model parameter '" + name + "'")));
                }
                int count = count("states", MIN_STATE_BYTES);
                if (keys == Keys.MODEL && count > 1) {
                    throw corrupt("a whole-model checkpoint holds " + count + " states");
                }
                List<Saved> states = new ArrayList<>(count);
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    Saved s = state(i);
                    if (!seen.add(s.key())) {
                        throw corrupt("the state of '" + s.key() + "' appears twice");
                    }
                    states.add(s);
                }
                if (in.hasRemaining()) {
                    throw corrupt(in.remaining() + " bytes follow the last state in the manifest");
                }
                return new Checkpoint(
                        type,
                        Collections.unmodifiableMap(layout),
                        keys,
                        List.copyOf(model),
                        states);
            } catch (BufferUnderflowException e) {
                throw corrupt("the manifest ends inside a field");
            }
        }

        private Saved state(int index) throws CheckpointException {
            String key = string("the key of state " + index);
            String owner = "state of '" + key + "'";
            long step = in.getLong();
            if (step < 0) {
                throw corrupt(owner + " has step count " + step);
            }
            int n = count("scalars of the " + owner, Double.BYTES);
            double[] scalars = new double[n];
            for (int j = 0; j < n; j++) {
                scalars[j] = in.getDouble();
            }
            int k = count("tensors of the " + owner, MIN_TENSOR_BYTES);
            List<HostTensor> tensors = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                String what = "tensor " + j + " of the " + owner;
                int code = in.get();
                if (code < 1 || code > TYPES.length) {
                    throw corrupt(what + " has data type code " + code);
                }
                DataType type = TYPES[code - 1];
                Shape shape = shape(what);
                long bytes;
                try {
                    bytes = Math.multiplyExact(shape.size(), (long) type.getNumOfBytes());
                } catch (ArithmeticException e) {
                    throw corrupt(
                            what + " of shape " + shape + " has more bytes than a long holds");
                }
                if (bytes > MAX_TENSOR_BYTES) {
                    throw corrupt(
                            what
                                    + " of shape "
                                    + shape
                                    + " and type "
                                    + type
                                    + " has "
                                    + bytes
                                    + " bytes, more than the "
                                    + MAX_TENSOR_BYTES
                                    + " a tensor may hold");
                }
                tensors.add(new HostTensor(type, shape, null));
            }
            return new Saved(key, step, scalars, List.copyOf(tensors));
        }

        private Shape shape(String what) throws CheckpointException {
            int rank = in.getInt();
            if (rank < 0 || rank > MAX_RANK) {
                throw corrupt(what + " has rank " + rank + ", outside [0, " + MAX_RANK + "]");
            }
            if ((long) rank * Long.BYTES > in.remaining()) {
                throw corrupt(what + " has rank " + rank + " but the manifest ends first");
            }
            long[] sizes = new long[rank];
            long product = 1;
            for (int i = 0; i < rank; i++) {
                sizes[i] = in.getLong();
                if (sizes[i] < 0) {
                    throw corrupt(what + " has size " + sizes[i] + " on axis " + i);
                }
                try {
                    product = Math.multiplyExact(product, sizes[i]);
                } catch (ArithmeticException e) {
                    throw corrupt(what + " has more elements than a long holds");
                }
            }
            return new Shape(sizes);
        }

        private int count(String what, int minBytesEach) throws CheckpointException {
            int n = in.getInt();
            if (n < 0 || (long) n * minBytesEach > in.remaining()) {
                throw corrupt(
                        "the number of "
                                + what
                                + ", "
                                + n
                                + ", does not fit the "
                                + in.remaining()
                                + " bytes left in the manifest");
            }
            return n;
        }

        private String string(String what) throws CheckpointException {
            int n = in.getInt();
            if (n < 0 || n > MAX_STRING_BYTES || n > in.remaining()) {
                throw corrupt(
                        what
                                + " has length "
                                + n
                                + ", outside [0, "
                                + Math.min(MAX_STRING_BYTES, in.remaining())
                                + "]");
            }
            ByteBuffer bytes = in.slice();
            bytes.limit(n);
            in.position(in.position() + n);
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(bytes)
                        .toString();
            } catch (CharacterCodingException e) {
                throw corrupt(what + " is not UTF-8");
            }
        }

        private static CheckpointException corrupt(String what) {
            return new CheckpointException("checkpoint manifest is invalid: " + what);
        }
    }
}

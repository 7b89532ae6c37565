package dev.descent.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint format shared by {@link DescentOptimizer} and {@link WholeModelOptimizer}: a
 * header naming the optimizer class, then states, each its step count, scalars and tensors.
 */
final class StateCodec {

    private static final int MAGIC = 0x44534f53; // "DSOS"
    private static final int VERSION = 1;

    private StateCodec() {}

    /** A state as read back, before the optimizer rebuilds its record from it. */
    record Saved(long step, double[] scalars, List<NDArray> buffers) {}

    static void writeHeader(DataOutputStream data, Class<?> type) throws IOException {
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeUTF(type.getName());
    }

    static void readHeader(DataInputStream data, Class<?> type) throws IOException {
        if (data.readInt() != MAGIC) {
            throw new IOException("not a Descent optimizer checkpoint (bad magic number)");
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException(
                    "unsupported checkpoint version " + version + ", expected " + VERSION);
        }
        String written = data.readUTF();
        if (!written.equals(type.getName())) {
            throw new IOException(
                    "checkpoint was written by " + written + ", not by " + type.getName());
        }
    }

    static void writeState(DataOutputStream data, ParameterState s) throws IOException {
        data.writeLong(s.step());
        double[] scalars = s.scalars();
        data.writeInt(scalars.length);
        for (double v : scalars) {
            data.writeDouble(v);
        }
        List<NDArray> buffers = s.buffers();
        data.writeInt(buffers.size());
        for (NDArray b : buffers) {
            byte[] bytes = b.encode();
            data.writeInt(bytes.length);
            data.write(bytes);
        }
    }

    static Saved readState(DataInputStream data, NDManager manager) throws IOException {
        long step = data.readLong();
        double[] scalars = new double[data.readInt()];
        for (int j = 0; j < scalars.length; j++) {
            scalars[j] = data.readDouble();
        }
        int n = data.readInt();
        List<NDArray> buffers = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            byte[] bytes = new byte[data.readInt()];
            data.readFully(bytes);
            buffers.add(NDArray.decode(manager, bytes));
        }
        return new Saved(step, scalars, buffers);
    }

    /** The bytes of the tensors of a state. */
    static long bytes(ParameterState s) {
        long bytes = 0;
        for (NDArray a : s.buffers()) {
            bytes += a.size() * a.getDataType().getNumOfBytes();
        }
        return bytes;
    }
}

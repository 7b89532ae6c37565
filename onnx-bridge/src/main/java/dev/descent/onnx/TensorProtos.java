package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts ONNX {@code TensorProto} values (initializers, {@code Constant} attributes) to DJL
 * arrays. Values are read from {@code raw_data} (little-endian, as the specification requires) or
 * from the typed repeated fields; FLOAT, DOUBLE, INT64, INT32 and BOOL are supported.
 */
final class TensorProtos {

    private TensorProtos() {}

    /**
     * Creates a DJL array holding a tensor's values.
     *
     * @param tensor the tensor; not modified
     * @param manager the manager that will own the array
     * @param where what holds the tensor, for error messages (e.g. "initializer 'fc.weight'")
     * @return the array, of the tensor's shape (a scalar when it has no dims)
     * @throws OnnxException if the element type is not supported, data are external, or the number
     *     of values does not match the dims
     */
    static NDArray toArray(OnnxMl.TensorProto tensor, NDManager manager, String where) {
        if (tensor.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxException(
                    where + " stores its data in an external file, which is not supported");
        }
        long[] dims = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        Shape shape = new Shape(dims);
        int size = Math.toIntExact(shape.size());
        ElementType type = ElementType.fromCode(tensor.getDataType());
        boolean raw = !tensor.getRawData().isEmpty();
        ByteBuffer bytes =
                tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case FLOAT -> {
                float[] v =
                        new float
                                [raw
                                        ? bytes.remaining() / Float.BYTES
                                        : tensor.getFloatDataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = raw ? bytes.getFloat() : tensor.getFloatData(i);
                }
                check(v.length, size, where);
                yield manager.create(v, shape);
            }
            case DOUBLE -> {
                double[] v =
                        new double
                                [raw
                                        ? bytes.remaining() / Double.BYTES
                                        : tensor.getDoubleDataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = raw ? bytes.getDouble() : tensor.getDoubleData(i);
                }
                check(v.length, size, where);
                yield manager.create(v, shape);
            }
            case INT64 -> {
                long[] v =
                        new long[raw ? bytes.remaining() / Long.BYTES : tensor.getInt64DataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = raw ? bytes.getLong() : tensor.getInt64Data(i);
                }
                check(v.length, size, where);
                yield manager.create(v, shape);
            }
            case INT32 -> {
                int[] v =
                        new int
                                [raw
                                        ? bytes.remaining() / Integer.BYTES
                                        : tensor.getInt32DataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = raw ? bytes.getInt() : tensor.getInt32Data(i);
                }
                check(v.length, size, where);
                yield manager.create(v, shape);
            }
            case BOOL -> {
                boolean[] v = new boolean[raw ? bytes.remaining() : tensor.getInt32DataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = raw ? bytes.get() != 0 : tensor.getInt32Data(i) != 0;
                }
                check(v.length, size, where);
                yield manager.create(v, shape);
            }
            default ->
                    throw new OnnxException(
                            where
                                    + " has element type "
                                    + type
                                    + "; supported: FLOAT, DOUBLE, INT64, INT32, BOOL");
        };
    }

    private static int check(int actual, int expected, String where) {
        if (actual != expected) {
            throw new OnnxException(
                    where + " holds " + actual + " values but its dims need " + expected);
        }
        return actual;
    }
}

package dev.descent.curvature;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Copies between engine arrays and Java arrays that hold for an array on any device: the host-side
 * steps of Descent (EJML decompositions, NaN checks, scalar reads) go through here.
 *
 * <p>Two things DJL's own calls leave to the caller, and that matter on a GPU:
 *
 * <ul>
 *   <li>Reading an array that is not on the CPU ({@code toDoubleArray()}, {@code getDouble()})
 *       makes a CPU copy that DJL attaches to the array's manager and keeps until that manager
 *       closes; for a weight or a gradient that is the model's manager, one copy per call for the
 *       whole training run. Here the copy is closed as soon as it has been read.
 *   <li>{@code manager.create(...)} allocates on the manager's device, which need not be the device
 *       of the arrays the manager holds ({@code toDevice} keeps the manager). {@link #fromHost}
 *       places its result on the device of the array it is computed for.
 * </ul>
 *
 * <p>On the CPU each read is the plain DJL call, without an extra copy.
 */
public final class HostArrays {

    private HostArrays() {}

    /**
     * Returns the elements of an array of any numeric type, widened to double, row-major.
     *
     * @param a the array, on any device (not modified)
     * @return a new Java array
     */
    public static double[] toDoubles(NDArray a) {
        if (!onCpu(a)) {
            try (NDArray host = a.toDevice(Device.cpu(), true)) {
                return toDoubles(host);
            }
        }
        DataType type = a.getDataType();
        if (type == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        if (type == DataType.FLOAT32) {
            float[] f = a.toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        try (NDArray d = a.toType(DataType.FLOAT64, false)) {
            return d.toDoubleArray();
        }
    }

    /**
     * Returns the elements of a float32 array, row-major.
     *
     * @param a a float32 array, on any device (not modified)
     * @return a new Java array
     * @throws IllegalArgumentException if {@code a} is not float32
     */
    public static float[] toFloats(NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected a float32 array, got " + a.getDataType());
        }
        if (!onCpu(a)) {
            try (NDArray host = a.toDevice(Device.cpu(), true)) {
                return host.toFloatArray();
            }
        }
        return a.toFloatArray();
    }

    /**
     * Returns the value of a one-element array of any numeric type as a double.
     *
     * @param a the array, on any device (not modified)
     * @return its value
     * @throws IllegalArgumentException if {@code a} has more or fewer than one element
     */
    public static double scalar(NDArray a) {
        if (a.size() != 1) {
            throw new IllegalArgumentException(
                    "expected a one-element array, got shape " + a.getShape());
        }
        return toDoubles(a)[0];
    }

    /**
     * Returns host values as an engine array of {@code like}'s data type, on {@code like}'s device,
     * attached to {@code like}'s manager.
     *
     * @param values the values, row-major (not modified)
     * @param shape the shape, of {@code values.length} elements
     * @param like the array whose data type, device and manager the result takes (not modified)
     * @return a new array
     * @throws IllegalArgumentException if the shape does not hold {@code values.length} elements
     */
    public static NDArray fromHost(double[] values, Shape shape, NDArray like) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException(
                    "shape " + shape + " does not hold " + values.length + " values");
        }
        NDArray host = typed(values, shape, like.getDataType(), like.getManager());
        if (host.getDevice().equals(like.getDevice())) {
            return host;
        }
        try (host) {
            return host.toDevice(like.getDevice(), true);
        }
    }

    private static NDArray typed(double[] values, Shape shape, DataType type, NDManager manager) {
        if (type == DataType.FLOAT32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return manager.create(f, shape);
        }
        NDArray wide = manager.create(values, shape);
        if (type == DataType.FLOAT64) {
            return wide;
        }
        try (wide) {
            return wide.toType(type, true);
        }
    }

    /**
     * Returns host indices as an int64 engine array on {@code like}'s device, attached to {@code
     * like}'s manager.
     *
     * @param indices the indices (not modified)
     * @param like the array whose device and manager the result takes (not modified)
     * @return a new one-dimensional array
     */
    public static NDArray indices(long[] indices, NDArray like) {
        NDArray host = like.getManager().create(indices);
        if (host.getDevice().equals(like.getDevice())) {
            return host;
        }
        try (host) {
            return host.toDevice(like.getDevice(), true);
        }
    }

    private static boolean onCpu(NDArray a) {
        return Device.cpu().equals(a.getDevice());
    }
}

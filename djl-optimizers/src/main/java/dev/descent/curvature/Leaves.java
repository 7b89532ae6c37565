package dev.descent.curvature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors a curvature operator differentiates with respect to (copies of parameters, or of an
 * input), with their names, and the conversions between them and one flat vector.
 */
final class Leaves {

    final List<NDArray> arrays;
    final List<String> names;
    final long dimension;

    Leaves(List<NDArray> arrays, List<String> names) {
        this.arrays = arrays;
        this.names = names;
        long d = 0;
        for (NDArray a : arrays) {
            d += a.size();
        }
        dimension = d;
    }

    /** Copies the given arrays into {@code manager} as leaves that require gradients. */
    static Leaves copiesOf(List<NDArray> values, List<String> names, NDManager manager) {
        List<NDArray> copies = new ArrayList<>(values.size());
        for (NDArray value : values) {
            NDArray copy = value.duplicate();
            copy.attach(manager);
            copy.setRequiresGradient(true);
            copies.add(copy);
        }
        return new Leaves(copies, names);
    }

    /** A zero vector of the flat dimension, data type and device of the leaves. */
    NDArray zeros(NDManager owner) {
        NDArray first = arrays.get(0);
        return owner.zeros(new Shape(dimension), first.getDataType(), first.getDevice());
    }

    DataType dataType() {
        return arrays.get(0).getDataType();
    }

    /** Checks a flat vector against the leaves and splits it into their shapes (views). */
    List<NDArray> split(NDArray v, String what) {
        NDArray first = arrays.get(0);
        if (v.getShape().dimension() != 1 || v.size() != dimension) {
            throw new IllegalArgumentException(
                    what
                            + " must be a 1-D vector of length "
                            + dimension
                            + ", got shape "
                            + v.getShape());
        }
        if (v.getDataType() != first.getDataType()) {
            throw new IllegalArgumentException(
                    what
                            + " has data type "
                            + v.getDataType()
                            + ", expected "
                            + first.getDataType());
        }
        if (!v.getDevice().equals(first.getDevice())) {
            throw new IllegalArgumentException(
                    what + " is on " + v.getDevice() + ", expected " + first.getDevice());
        }
        List<NDArray> parts = new ArrayList<>(arrays.size());
        long offset = 0;
        for (NDArray a : arrays) {
            long n = a.size();
            parts.add(v.get(offset + ":" + (offset + n)).reshape(a.getShape()));
            offset += n;
        }
        return parts;
    }

    /** Concatenates per-leaf arrays into one flat vector owned by {@code manager}. */
    static NDArray flatten(List<NDArray> parts, NDManager manager) {
        NDList flat = new NDList(parts.size());
        for (NDArray p : parts) {
            flat.add(p.reshape(new Shape(-1)));
        }
        NDArray result = flat.size() == 1 ? flat.get(0).duplicate() : NDArrays.concat(flat);
        result.attach(manager);
        return result;
    }

    /** Throws when a result holds NaN or infinite values. */
    static void requireFinite(NDArray result, String what) {
        try (NDArray nan = result.isNaN();
                NDArray inf = result.isInfinite();
                NDArray either = nan.logicalOr(inf);
                NDArray bad = either.any()) {
            if (HostArrays.scalar(bad) != 0) {
                throw new IllegalStateException(what + " holds NaN or infinite values");
            }
        }
    }
}

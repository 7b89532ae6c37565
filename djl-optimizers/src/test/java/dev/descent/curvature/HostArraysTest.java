package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link HostArrays} on the CPU (the machines here have no GPU): values, types and shapes round
 * trip exactly, the caller's array stays open, and bad shapes are refused.
 */
class HostArraysTest {

    @Test
    void readsEveryNumericTypeAsDoublesAndLeavesTheArrayOpen() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray f32 = manager.create(new float[] {1.5f, -2.25f, 3e-8f}, new Shape(3));
            NDArray f64 = manager.create(new double[] {1e-300, -4, 0.1}, new Shape(3, 1));
            NDArray i64 = manager.create(new long[] {7, -9});
            assertThat(HostArrays.toDoubles(f32)).containsExactly(1.5, -2.25, (double) 3e-8f);
            assertThat(HostArrays.toDoubles(f64)).containsExactly(1e-300, -4, 0.1);
            assertThat(HostArrays.toDoubles(i64)).containsExactly(7, -9);
            assertThat(HostArrays.toFloats(f32)).containsExactly(1.5f, -2.25f, 3e-8f);
            // still usable: the CPU path reads the array itself, it closes nothing of the caller's
            assertThat(f32.sum().getFloat()).isEqualTo(1.5f - 2.25f + 3e-8f);
            assertThat(HostArrays.scalar(manager.create(2.5))).isEqualTo(2.5);
            assertThat(HostArrays.scalar(manager.create(true))).isEqualTo(1);
        }
    }

    @Test
    void fromHostTakesTheTypeDeviceAndManagerOfTheArrayItIsFor() {
        try (NDManager manager = NDManager.newBaseManager();
                NDManager other = manager.newSubManager()) {
            NDArray like = other.zeros(new Shape(2, 2), DataType.FLOAT32);
            NDArray made = HostArrays.fromHost(new double[] {1, 2, 3, 0.1}, new Shape(2, 2), like);
            assertThat(made.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(made.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(made.getDevice()).isEqualTo(like.getDevice());
            assertThat(made.getManager()).isSameAs(like.getManager());
            assertThat(made.toFloatArray()).containsExactly(1f, 2f, 3f, 0.1f);

            NDArray wide = other.zeros(new Shape(3), DataType.FLOAT64);
            assertThat(
                            HostArrays.fromHost(new double[] {0.1, 1e-300, -2}, new Shape(3), wide)
                                    .toDoubleArray())
                    .containsExactly(0.1, 1e-300, -2);
            NDArray index = HostArrays.indices(new long[] {2, 0}, like);
            assertThat(index.getDataType()).isEqualTo(DataType.INT64);
            assertThat(index.toLongArray()).containsExactly(2, 0);
            assertThat(index.getManager()).isSameAs(like.getManager());
        }
    }

    @Test
    void refusesMismatchedShapesAndTypes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray like = manager.zeros(new Shape(2));
            assertThatThrownBy(() -> HostArrays.fromHost(new double[3], new Shape(2), like))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("shape (2) does not hold 3 values");
            assertThatThrownBy(() -> HostArrays.scalar(like))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected a one-element array, got shape (2)");
            assertThatThrownBy(() -> HostArrays.toFloats(manager.create(new double[] {1})))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected a float32 array, got float64");
        }
    }
}

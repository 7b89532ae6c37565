package dev.descent.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The decompositions against their defining identities, and their failure value. */
class LinearAlgebraTest {

    private static final int N = 6;

    /** Identities of float64 decompositions of a well-conditioned 6×6 matrix: rounding only. */
    private static final double F64_TOL = 1e-12;

    /** The same in float32 (norm of A about 10). */
    private static final double F32_TOL = 1e-4;

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    /** A = BᵀB + I with B fixed: symmetric positive definite, distinct eigenvalues. */
    private static NDArray spd(NDManager scope, DataType type) {
        double[] b = SoapOfficialTest.gradient(3, N * N);
        NDArray bm = scope.create(b, new Shape(N, N));
        return bm.transpose()
                .matMul(bm)
                .add(scope.eye(N, N, 0, DataType.FLOAT64))
                .toType(type, false);
    }

    /** The engine path (torch.linalg) and the host path (EJML) alone. */
    private static final List<UnaryOperator<NDArray>> EIGENVECTORS =
            List.of(LinearAlgebra::symmetricEigenvectors, LinearAlgebra::hostSymmetricEigenvectors);

    private static final List<UnaryOperator<NDArray>> QR =
            List.of(LinearAlgebra::orthogonalFactor, LinearAlgebra::hostOrthogonalFactor);

    @Test
    void eigenvectorsDiagonalizeInDescendingOrder() {
        for (UnaryOperator<NDArray> eigenvectors : EIGENVECTORS) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                checkEigenvectors(eigenvectors, type);
            }
        }
    }

    private static void checkEigenvectors(UnaryOperator<NDArray> eigenvectors, DataType type) {
        {
            double tol = type == DataType.FLOAT64 ? F64_TOL : F32_TOL;
            try (NDManager scope = manager.newSubManager()) {
                NDArray a = spd(scope, type);
                NDArray q = eigenvectors.apply(a);
                assertThat(q.getDataType()).isEqualTo(type);
                NDArray eye = scope.eye(N, N, 0, type);
                assertThat(maxAbs(q.transpose().matMul(q).sub(eye))).isLessThan(tol);
                double[] d = toDouble(q.transpose().matMul(a).matMul(q));
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        if (i != j) {
                            assertThat(Math.abs(d[i * N + j])).isLessThan(tol * 10);
                        }
                    }
                    if (i > 0) {
                        assertThat(d[i * N + i]).isLessThan(d[(i - 1) * N + i - 1]);
                    }
                }
            }
        }
    }

    @Test
    void orthogonalFactorIsOrthogonalAndTriangularizes() {
        for (UnaryOperator<NDArray> qr : QR) {
            checkOrthogonalFactor(qr);
        }
    }

    private static void checkOrthogonalFactor(UnaryOperator<NDArray> qr) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = spd(scope, DataType.FLOAT64);
            NDArray q = qr.apply(a);
            assertThat(maxAbs(q.transpose().matMul(q).sub(scope.eye(N, N, 0, DataType.FLOAT64))))
                    .isLessThan(F64_TOL);
            double[] r = q.transpose().matMul(a).toDoubleArray();
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < i; j++) {
                    assertThat(Math.abs(r[i * N + j])).isLessThan(F64_TOL * 10);
                }
            }
        }
    }

    @Test
    void inverseSquareRootSquaresToInverse() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = spd(scope, DataType.FLOAT64);
            NDArray p = LinearAlgebra.inverseRoot(a, 2, 1e-6);
            NDArray identity = p.matMul(p).matMul(a);
            assertThat(maxAbs(identity.sub(scope.eye(N, N, 0, DataType.FLOAT64))))
                    .isLessThan(F64_TOL);
        }
    }

    @Test
    void nonFiniteInputFails() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = spd(scope, DataType.FLOAT32);
            a.set(new NDIndex("0, 0"), Float.NaN);
            for (UnaryOperator<NDArray> eigenvectors : EIGENVECTORS) {
                assertThat(eigenvectors.apply(a)).isNull();
            }
            for (UnaryOperator<NDArray> qr : QR) {
                assertThat(qr.apply(a)).isNull();
            }
            assertThat(LinearAlgebra.inverseRoot(a, 2, 1e-6)).isNull();
        }
    }

    /** Eigenvalues below the floor are raised to it: the root of −I with floor 4 is I/2. */
    @Test
    void inverseRootRaisesEigenvaluesToTheFloor() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray eye = scope.eye(N, N, 0, DataType.FLOAT64);
            NDArray root = LinearAlgebra.inverseRoot(eye.neg(), 2, 4);
            assertThat(maxAbs(root.sub(eye.mul(0.5)))).isLessThan(F64_TOL);
        }
    }

    private static double maxAbs(NDArray x) {
        double max = 0;
        for (double v : toDouble(x)) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static double[] toDouble(NDArray x) {
        return x.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}

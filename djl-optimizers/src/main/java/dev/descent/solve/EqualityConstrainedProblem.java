package dev.descent.solve;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.descent.curvature.GraphConstants;
import dev.descent.curvature.HessianVectorProduct;
import dev.descent.curvature.HostArrays;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;

/**
 * An equality-constrained problem {@code min f(x) s.t. c(x) = 0}, x ∈ ℝⁿ, c: ℝⁿ → ℝᵐ, with f and c
 * written as DJL functions of a float64 vector, and its derivatives taken by DJL autograd.
 *
 * <p>At a primal–dual point (x, λ), with the Lagrangian {@code L(x, λ) = f(x) + λᵀc(x)}:
 *
 * <ul>
 *   <li>{@code ∇f} and each Jacobian row {@code ∇c_i} are one backward pass each ({@link
 *       GradientCollector}, a fresh leaf per pass), so m + 1 passes give {@code G = ∂c/∂x} (m×n);
 *   <li>{@code ∇ₓL = ∇f + Gᵀλ};
 *   <li>{@code ∇²ₓL} is built column by column from n exact Hessian-vector products of L at fixed λ
 *       ({@link HessianVectorProduct}, double backward) and symmetrized, {@code (H + Hᵀ)/2}.
 * </ul>
 *
 * <p>The functions receive a 1-D float64 array of length n and must return a scalar (f) and a 1-D
 * array of length m (c). They are differentiated twice, so constants in them must come from {@link
 * GraphConstants} ({@code GraphConstants.sub(x, 1)}, not {@code x.sub(1)}); see the rule there.
 * Everything the host sees is float64.
 */
public final class EqualityConstrainedProblem {

    private final String name;
    private final int n;
    private final int m;
    private final Function<NDArray, NDArray> objective;
    private final Function<NDArray, NDArray> constraints;
    private final double[] start;
    private final double[] startMultipliers;

    private EqualityConstrainedProblem(
            String name,
            Function<NDArray, NDArray> objective,
            Function<NDArray, NDArray> constraints,
            double[] start,
            double[] startMultipliers) {
        this.name = Objects.requireNonNull(name, "name");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.constraints = Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(startMultipliers, "startMultipliers");
        if (start.length == 0) {
            throw new IllegalArgumentException(name + ": the start x0 is empty");
        }
        if (startMultipliers.length == 0) {
            throw new IllegalArgumentException(
                    name + ": no constraints (the start multipliers λ0 are empty)");
        }
        Residuals.requireFinite(name, "start x0", start);
        Residuals.requireFinite(name, "start multipliers λ0", startMultipliers);
        this.start = start.clone();
        this.startMultipliers = startMultipliers.clone();
        this.n = start.length;
        this.m = startMultipliers.length;
    }

    /**
     * A problem with start multipliers λ₀ = 0.
     *
     * @param name a label for messages and tables
     * @param objective maps x (1-D float64, length n) to the scalar f(x)
     * @param constraints maps x to c(x), a 1-D array of length m
     * @param start x₀, finite, length n (copied)
     * @param constraintCount m ≥ 1
     * @return the problem
     * @throws IllegalArgumentException for an empty or non-finite start or m &lt; 1
     */
    public static EqualityConstrainedProblem of(
            String name,
            Function<NDArray, NDArray> objective,
            Function<NDArray, NDArray> constraints,
            double[] start,
            int constraintCount) {
        if (constraintCount < 1) {
            throw new IllegalArgumentException(
                    name + ": constraintCount must be >= 1, got " + constraintCount);
        }
        return new EqualityConstrainedProblem(
                name, objective, constraints, start, new double[constraintCount]);
    }

    /**
     * A problem with given start multipliers.
     *
     * @param name a label for messages and tables
     * @param objective maps x (1-D float64, length n) to the scalar f(x)
     * @param constraints maps x to c(x), a 1-D array of length m
     * @param start x₀, finite, length n (copied)
     * @param startMultipliers λ₀, finite, length m ≥ 1 (copied)
     * @return the problem
     * @throws IllegalArgumentException for an empty or non-finite start
     */
    public static EqualityConstrainedProblem of(
            String name,
            Function<NDArray, NDArray> objective,
            Function<NDArray, NDArray> constraints,
            double[] start,
            double[] startMultipliers) {
        return new EqualityConstrainedProblem(
                name, objective, constraints, start, startMultipliers);
    }

    /** The problem's label. */
    public String name() {
        return name;
    }

    /** n, the number of variables. */
    public int dimension() {
        return n;
    }

    /** m, the number of constraints. */
    public int constraintCount() {
        return m;
    }

    /** x₀ (a copy). */
    public double[] start() {
        return start.clone();
    }

    /** λ₀ (a copy). */
    public double[] startMultipliers() {
        return startMultipliers.clone();
    }

    /**
     * First and second derivatives at (x, λ).
     *
     * @param value f(x)
     * @param objectiveGradient ∇f(x), length n
     * @param constraintValues c(x), length m
     * @param jacobian G = ∂c/∂x, m×n
     * @param lagrangianGradient ∇ₓL = ∇f + Gᵀλ, length n
     * @param lagrangianHessian ∇²ₓL, n×n, symmetric
     */
    public record Derivatives(
            double value,
            double[] objectiveGradient,
            double[] constraintValues,
            DMatrixRMaj jacobian,
            double[] lagrangianGradient,
            DMatrixRMaj lagrangianHessian) {

        /** The KKT residual ‖(∇ₓL, c)‖₂. */
        public double kktResidual() {
            return Math.hypot(Residuals.norm(lagrangianGradient), Residuals.norm(constraintValues));
        }

        /** Whether every value is finite. */
        public boolean isFinite() {
            return Double.isFinite(value)
                    && Residuals.allFinite(objectiveGradient)
                    && Residuals.allFinite(constraintValues)
                    && Residuals.allFinite(jacobian.data)
                    && Residuals.allFinite(lagrangianHessian.data);
        }
    }

    /**
     * What a merit function needs at a trial point, from one forward and one backward pass of L.
     *
     * @param value f(x)
     * @param constraintValues c(x)
     * @param lagrangianGradient ∇ₓL(x, λ)
     */
    public record FirstOrder(double value, double[] constraintValues, double[] lagrangianGradient) {

        /** Whether every value is finite. */
        public boolean isFinite() {
            return Double.isFinite(value)
                    && Residuals.allFinite(constraintValues)
                    && Residuals.allFinite(lagrangianGradient);
        }
    }

    /**
     * f, ∇f, c, G, ∇ₓL and ∇²ₓL at (x, λ).
     *
     * @param x the point, length n (not modified)
     * @param lambda the multipliers, length m (not modified)
     * @param manager the PyTorch-engine manager the temporaries are made under (closed here)
     * @return the derivatives
     * @throws IllegalArgumentException for wrong lengths, or functions returning the wrong shape
     */
    public Derivatives derivatives(double[] x, double[] lambda, NDManager manager) {
        checkPoint(x, lambda);
        try (NDManager scope = manager.newSubManager()) {
            double[] value = new double[1];
            double[] gradF = gradient(scope, x, leaf -> scalarObjective(leaf), value);
            double[] c = new double[m];
            DMatrixRMaj g = new DMatrixRMaj(m, n);
            for (int i = 0; i < m; i++) {
                final int row = i;
                double[] ci = new double[1];
                double[] gi = gradient(scope, x, leaf -> constraintVector(leaf).get(row), ci);
                c[i] = ci[0];
                for (int j = 0; j < n; j++) {
                    g.set(i, j, gi[j]);
                }
            }
            double[] gradL = gradF.clone();
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    gradL[j] += g.get(i, j) * lambda[i];
                }
            }
            DMatrixRMaj h = lagrangianHessian(scope, x, lambda);
            return new Derivatives(value[0], gradF, c, g, gradL, h);
        }
    }

    /**
     * f, c and ∇ₓL at (x, λ), without second derivatives.
     *
     * @param x the point, length n (not modified)
     * @param lambda the multipliers, length m (not modified)
     * @param manager the PyTorch-engine manager the temporaries are made under (closed here)
     * @return the values
     */
    public FirstOrder firstOrder(double[] x, double[] lambda, NDManager manager) {
        checkPoint(x, lambda);
        try (NDManager scope = manager.newSubManager()) {
            NDArray lam = GraphConstants.owned(scope.create(lambda));
            double[] parts = new double[1 + m];
            double[] gradL =
                    gradient(
                            scope,
                            x,
                            leaf -> {
                                NDArray f = scalarObjective(leaf);
                                NDArray c = constraintVector(leaf);
                                parts[0] = HostArrays.scalar(f);
                                double[] cv = HostArrays.toDoubles(c);
                                System.arraycopy(cv, 0, parts, 1, m);
                                return f.add(c.mul(lam).sum());
                            },
                            null);
            return new FirstOrder(parts[0], Arrays.copyOfRange(parts, 1, 1 + m), gradL);
        }
    }

    private DMatrixRMaj lagrangianHessian(NDManager scope, double[] x, double[] lambda) {
        NDArray lam = GraphConstants.owned(scope.create(lambda));
        NDArray point = GraphConstants.owned(scope.create(x));
        DMatrixRMaj h = new DMatrixRMaj(n, n);
        try (HessianVectorProduct hvp =
                HessianVectorProduct.ofFunction(
                        new NDList(point),
                        args ->
                                scalarObjective(args.head())
                                        .add(constraintVector(args.head()).mul(lam).sum()),
                        HessianVectorProduct.Method.EXACT)) {
            for (int j = 0; j < n; j++) {
                try (NDManager column = scope.newSubManager()) {
                    double[] e = new double[n];
                    e[j] = 1;
                    NDArray unit = GraphConstants.owned(column.create(e));
                    double[] hj = HostArrays.toDoubles(hvp.apply(unit));
                    for (int i = 0; i < n; i++) {
                        h.set(i, j, hj[i]);
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (h.get(i, j) + h.get(j, i));
                h.set(i, j, s);
                h.set(j, i, s);
            }
        }
        return h;
    }

    /** One backward pass of a scalar function of a fresh float64 leaf at x. */
    private double[] gradient(
            NDManager scope, double[] x, Function<NDArray, NDArray> scalar, double[] valueOut) {
        NDArray leaf = GraphConstants.owned(scope.create(x));
        leaf.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray s = scalar.apply(leaf);
            if (valueOut != null) {
                valueOut[0] = HostArrays.scalar(s);
            }
            collector.backward(s);
        }
        return HostArrays.toDoubles(leaf.getGradient());
    }

    private NDArray scalarObjective(NDArray x) {
        NDArray f = objective.apply(x);
        if (f.size() != 1) {
            throw new IllegalArgumentException(
                    name + ": the objective must return a scalar, got shape " + f.getShape());
        }
        requireFloat64(f, "objective");
        return f.getShape().dimension() == 0 ? f : f.reshape(new Shape());
    }

    private NDArray constraintVector(NDArray x) {
        NDArray c = constraints.apply(x);
        if (c.getShape().dimension() != 1 || c.size() != m) {
            throw new IllegalArgumentException(
                    name
                            + ": the constraints must return a vector of length m = "
                            + m
                            + ", got shape "
                            + c.getShape());
        }
        requireFloat64(c, "constraints");
        return c;
    }

    private void requireFloat64(NDArray a, String what) {
        if (a.getDataType() != DataType.FLOAT64) {
            throw new IllegalArgumentException(
                    name + ": the " + what + " must compute in float64, got " + a.getDataType());
        }
    }

    private void checkPoint(double[] x, double[] lambda) {
        if (x.length != n) {
            throw new IllegalArgumentException(
                    name + ": x has length " + x.length + ", expected n = " + n);
        }
        if (lambda.length != m) {
            throw new IllegalArgumentException(
                    name + ": λ has length " + lambda.length + ", expected m = " + m);
        }
    }
}

package dev.descent.surrogate;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A smooth scalar function g(y) of a surrogate's output vector y = Φ(x): the objective f to
 * maximize, or a constraint c with c(y) ≤ 0 required.
 *
 * <p>Attacks need the gradient ∇g(y); when none is supplied it is estimated by central differences
 * in y, which costs evaluations of g only (Java code), never of the surrogate.
 */
public interface OutputFunction {

    /** Relative step of the default central-difference gradient: ∛ε(float64) ≈ 6.1e-6. */
    double DIFFERENCE_STEP = Math.cbrt(Math.ulp(1.0));

    /**
     * Returns g(y).
     *
     * @param y the surrogate output, length m; not modified
     * @return the value
     */
    double value(double[] y);

    /**
     * Returns ∇g(y); by default central differences with step {@code DIFFERENCE_STEP·max(1,
     * |y_j|)}.
     *
     * @param y the surrogate output, length m; not modified
     * @return the gradient, length m
     */
    default double[] gradient(double[] y) {
        double[] probe = y.clone();
        double[] gradient = new double[y.length];
        for (int j = 0; j < y.length; j++) {
            double h = DIFFERENCE_STEP * Math.max(1, Math.abs(y[j]));
            probe[j] = y[j] + h;
            double up = value(probe);
            probe[j] = y[j] - h;
            double down = value(probe);
            probe[j] = y[j];
            gradient[j] = (up - down) / (2 * h);
        }
        return gradient;
    }

    /**
     * Returns g(y) = ⟨w, y⟩ + b with its exact gradient w.
     *
     * @param weights w; copied
     * @param offset b
     * @return the linear function
     */
    static OutputFunction linear(double[] weights, double offset) {
        double[] w = weights.clone();
        return of(
                y -> {
                    checkLength(y, w.length);
                    double s = offset;
                    for (int j = 0; j < w.length; j++) {
                        s += w[j] * y[j];
                    }
                    return s;
                },
                y -> w.clone());
    }

    /**
     * Returns the component g(y) = y_j with its exact gradient.
     *
     * @param j the output index, ≥ 0
     * @return the function
     */
    static OutputFunction component(int j) {
        if (j < 0) {
            throw new IllegalArgumentException("output index must be >= 0, got " + j);
        }
        return of(
                y -> y[j],
                y -> {
                    double[] g = new double[y.length];
                    g[j] = 1;
                    return g;
                });
    }

    /**
     * Wraps a value function; its gradient is estimated by central differences.
     *
     * @param value g
     * @return the function
     */
    static OutputFunction of(ToDoubleFunction<double[]> value) {
        Objects.requireNonNull(value, "value");
        return value::applyAsDouble;
    }

    /**
     * Wraps a value function and its exact gradient.
     *
     * @param value g
     * @param gradient ∇g
     * @return the function
     */
    static OutputFunction of(
            ToDoubleFunction<double[]> value, Function<double[], double[]> gradient) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(gradient, "gradient");
        return new OutputFunction() {
            @Override
            public double value(double[] y) {
                return value.applyAsDouble(y);
            }

            @Override
            public double[] gradient(double[] y) {
                return gradient.apply(y);
            }
        };
    }

    private static void checkLength(double[] y, int expected) {
        if (y.length != expected) {
            throw new IllegalArgumentException(
                    "output has length " + y.length + ", the function expects " + expected);
        }
    }
}

package dev.descent.optim;

/**
 * An optimizer that can say how much memory its state holds: the one accounting API every Descent
 * optimizer implements, so that state memory can be compared across algorithms (per parameter, or
 * against AdamW's two moments).
 */
public interface StatefulOptimizer {

    /**
     * Returns the bytes of optimizer state held now: every tensor (on any device) and host array
     * the optimizer keeps between steps, excluding the weights and gradients themselves.
     *
     * @return the number of bytes; 0 before the first step
     */
    long stateBytes();
}

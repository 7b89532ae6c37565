package dev.descent.optim;

/** How weight decay with rate {@code wd} enters an update at learning rate {@code lr}. */
public enum WeightDecayMode {
    /** L2 regularization: the gradient becomes {@code g + wd·p} before the update rule. */
    COUPLED,
    /** Decoupled (AdamW-style): {@code p ← p·(1 − lr·wd)} before the update rule. */
    DECOUPLED,
    /** Decoupled with a rate independent of the learning rate: {@code p ← p·(1 − wd)}. */
    FIXED,
    /**
     * Decoupled, after the update (SOAP's order): {@code p ← (p − Δ)·(1 − lr·wd)}; a call that
     * leaves the weight unchanged ({@code Δ} is {@code null}, e.g. SOAP's first call) decays
     * nothing either.
     */
    DECOUPLED_AFTER_STEP
}

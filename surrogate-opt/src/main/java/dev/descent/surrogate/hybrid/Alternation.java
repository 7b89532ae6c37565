package dev.descent.surrogate.hybrid;

/** How the hybrid alternates the attack and cDSM. */
public enum Alternation {
    /**
     * The reference's published rule: sufficient increase → accept, r_atk ×1.3, skip cDSM; simple
     * increase → accept, r_atk ×1.1, then cDSM; failure → r_atk ÷1.3, then cDSM.
     */
    REFERENCE,
    /**
     * The later variant: cDSM runs every iteration; an attack success (sufficient or simple) also
     * multiplies r_dsm by 1.1. The r_atk rules are those of {@link #REFERENCE}.
     */
    ALWAYS_DSM
}

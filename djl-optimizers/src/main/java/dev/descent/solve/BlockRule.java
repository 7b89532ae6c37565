package dev.descent.solve;

/**
 * How block coordinate descent picks its next block (Nutini, Laradji and Schmidt, arXiv 1712.08580,
 * §2–3; the reference's {@code FB_selection_rules} and {@code VB_selection_rules}). With g = ∇f(x),
 * L_i the coordinate constants, L_b = λ_max(H_b) and H the bound matrix:
 *
 * <table>
 *   <caption>Scores</caption>
 *   <tr><th>rule</th><th>fixed blocks (argmax over the partition)</th>
 *       <th>variable blocks (the τ largest coordinate scores)</th></tr>
 *   <tr><td>GS</td><td>Σ_{i∈b} |g_i|</td><td>|g_i|</td></tr>
 *   <tr><td>GSL</td><td>Σ_{i∈b} |g_i| / √L_b</td>
 *       <td>|g_i| / √(Σ_j |H_ij|) (the reference's "GSDHb", plotted as GSL)</td></tr>
 *   <tr><td>GSD</td><td>Σ_{i∈b} |g_i| / √L_i</td><td>|g_i| / √L_i</td></tr>
 *   <tr><td>GSQ</td><td>√(g_bᵀ (H_b + 1e-10 I)⁻¹ g_b), H_b the block of the global H</td>
 *       <td>iterative hard thresholding ("IHT", plotted as GSQ): d = g/√L, then 10 times
 *       d ← d − μ(g + H d) keeping the τ largest |d_i|, μ = 1/λ_max(H); stop early when d moves
 *       less than 1e-10</td></tr>
 *   <tr><td>RANDOM</td><td>a uniform block</td><td>τ coordinates uniformly without replacement</td></tr>
 *   <tr><td>CYCLIC</td><td>blocks in partition order</td>
 *       <td>consecutive τ-slices of a random permutation, redrawn when the iteration is a
 *       multiple of n (the reference's "Perm")</td></tr>
 *   <tr><td>LIPSCHITZ</td><td>a block with probability ∝ L_b</td>
 *       <td>τ coordinates drawn one by one without replacement with probability ∝ L_i</td></tr>
 * </table>
 *
 * <p>Ties go to the first block (fixed) or the larger index (variable: a stable ascending sort
 * whose last τ are taken). Where L_i or L_b is 0 (a coordinate f does not depend on, e.g. a zero
 * column of the design) the score is 0 rather than the reference's 0/0.
 */
public enum BlockRule {
    /** Uniformly random. */
    RANDOM,
    /** In order (fixed blocks) or by random permutation (variable blocks). */
    CYCLIC,
    /** Random with probability proportional to the Lipschitz constants. */
    LIPSCHITZ,
    /** Gauss–Southwell: the largest gradient. */
    GS,
    /** Gauss–Southwell–Lipschitz: the gradient scaled by the block constant. */
    GSL,
    /** Gauss–Southwell–diagonal: the gradient scaled per coordinate. */
    GSD,
    /** Gauss–Southwell–quadratic: the largest decrease of the quadratic bound. */
    GSQ
}

/**
 * Optimization over network surrogates: maximize f(Φ(x)) subject to c(Φ(x)) ≤ 0 and bounds on x,
 * with Φ a trained network ({@link dev.descent.onnx.Surrogate}) and f, c written in Java — by
 * covering direct search (cDSM), directional attacks on Φ, their hybrid (Bouchet &amp; Vidal,
 * "Optimization by directional attacks", 2025, arXiv:2510.01461), and baselines.
 *
 * <h2>API</h2>
 *
 * <ul>
 *   <li>{@link dev.descent.surrogate.SurrogateProblem} (builder): Φ, start point, bounds, objective
 *       and constraints as {@link dev.descent.surrogate.OutputFunction}s over Φ's output, and a
 *       {@link dev.descent.surrogate.ConstraintHandling} (penalty f − s·‖ReLU(c)‖² by default,
 *       extreme or progressive barrier).
 *   <li>{@link dev.descent.surrogate.SurrogateSolver}: {@code solve(problem, limits, seed)} →
 *       {@link dev.descent.surrogate.SurrogateResult}; deterministic per seed. {@link
 *       dev.descent.surrogate.Limits}: budget in surrogate forward passes, iterations, time.
 *   <li>{@link dev.descent.surrogate.Evaluator}: the one counting gateway to Φ (projection onto the
 *       bounds, cache, budget, batched evaluation of a set of points as one surrogate call,
 *       derivatives charged their forward passes).
 *   <li>{@link dev.descent.surrogate.History}: every evaluated {@link
 *       dev.descent.surrogate.Evaluation} (x, y, f, c, violation, {@link
 *       dev.descent.surrogate.StepKind}, forward passes so far) and whether it was accepted; {@code
 *       bestFeasibleObjective()} gives the curve for data profiles.
 *   <li>{@link dev.descent.surrogate.SurrogateResult}: {@link dev.descent.surrogate.ExitStatus}
 *       (BUDGET, RADIUS_BELOW_MINIMUM, ITERATION_LIMIT, TIME, NUMERICAL_FAILURE), the best point
 *       under the handling, the best feasible point, the history (with its restarts) and counts.
 *   <li>{@link dev.descent.surrogate.RestartStrategy}: what the direct-search solvers do when their
 *       radii collapse with budget left (a random start by default, the best point, or stop).
 *   <li>{@link dev.descent.surrogate.Solvers}: every solver with its defaults, by name.
 * </ul>
 *
 * <p>Algorithms, each step its own unit: {@code dsm} (covering, search and poll steps, radius rule,
 * {@code CoveringDirectSearch}), {@code attack} (attack operators and the attacks-only solver),
 * {@code hybrid} ({@code HybridSearch}), {@code baseline} (random line search, projected gradient
 * ascent, CMA-ES and BOBYQA from Hipparchus).
 *
 * <pre>{@code
 * SurrogateProblem problem = SurrogateProblem.builder(phi)
 *         .setStart(x0).setObjective(OutputFunction.component(0))
 *         .optBounds(lower, upper).build();
 * SurrogateResult result = Solvers.byName("hybrid").solve(problem, Limits.ofEvaluations(2000), 0);
 * }</pre>
 */
package dev.descent.surrogate;

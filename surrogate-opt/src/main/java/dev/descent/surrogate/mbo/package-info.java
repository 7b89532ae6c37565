/**
 * Offline model-based optimization (only a static data set of designs and scores exists) with
 * IGNITE's sharpness-regularized surrogates.
 *
 * <ul>
 *   <li>Tasks with exact oracles ({@link dev.descent.surrogate.mbo.OfflineTask}): shifted Ackley,
 *       Rastrigin and Rosenbrock, an NK landscape over one-hot sequences, a spring-chain vibration
 *       simulation; offline data the Design-Bench way ({@link
 *       dev.descent.surrogate.mbo.OfflineDataset}: bottom percentile kept, scores normalized by the
 *       full sample).
 *   <li>Surrogates: {@link dev.descent.surrogate.mbo.SurrogateTraining} trains an MLP (MSE or
 *       Gaussian head) with or without {@link dev.descent.surrogate.mbo.IgniteRegularizer}; the
 *       result is a {@link dev.descent.onnx.Surrogate} that exports to ONNX.
 *   <li>Optimizers ({@link dev.descent.surrogate.mbo.OfflineOptimizer}): gradient ascent and its
 *       mean/min ensembles, COMs, CMA-ES; {@link dev.descent.surrogate.mbo.MboExperiment} scores
 *       their proposals.
 * </ul>
 */
package dev.descent.surrogate.mbo;

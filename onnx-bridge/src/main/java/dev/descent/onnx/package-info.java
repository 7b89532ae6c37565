/**
 * The ONNX bridge: trained ONNX networks as fast, differentiable surrogates.
 *
 * <ul>
 *   <li>{@link dev.descent.onnx.OnnxModel} opens a model in ONNX Runtime, reports its inputs,
 *       outputs and opsets, and evaluates batches (the fast path, and the only one for graphs that
 *       do not import, such as {@code ai.onnx.ml} tree ensembles).
 *   <li>{@link dev.descent.onnx.OnnxImporter} imports a graph into DJL as an {@link
 *       dev.descent.onnx.OnnxBlock} on the PyTorch engine, with initializers as trainable
 *       parameters, so that inputs and parameters get exact gradients; graphs it cannot import are
 *       rejected with every offending node listed.
 *   <li>{@link dev.descent.onnx.Surrogate} is the one interface search code depends on: evaluate a
 *       batch, vector–Jacobian products and gradients (exact when imported, central differences or
 *       SPSA through ONNX Runtime otherwise), evaluation counts. {@link
 *       dev.descent.onnx.Surrogates} chooses the implementation from the graph.
 *   <li>{@link dev.descent.onnx.OnnxExporter} writes a DJL block (Linear, Conv1d/2d, LayerNorm,
 *       BatchNorm, Dropout, and activation, flatten and pooling lambdas identified by probing) to
 *       an ONNX file that ONNX Runtime evaluates and {@link dev.descent.onnx.OnnxImporter} reads
 *       back.
 * </ul>
 *
 * <p>ONNX Runtime is not brought by this module: its Java classes ship in the same jar as its
 * natives, so the application adds the build it runs, {@code com.microsoft.onnxruntime:onnxruntime}
 * (CPU) or {@code onnxruntime_gpu} (CUDA), exactly one (versions in {@code
 * dev.descent:descent-bom}).
 */
package dev.descent.onnx;

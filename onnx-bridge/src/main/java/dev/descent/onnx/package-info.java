/**
 * The ONNX bridge: trained ONNX networks evaluated in batches with ONNX Runtime, imported into DJL
 * as differentiable, trainable blocks, and exported back to ONNX. Its capability is the subject of
 * the ONNX-bridge issue; until it lands this module holds only its package.
 */
package dev.descent.onnx;

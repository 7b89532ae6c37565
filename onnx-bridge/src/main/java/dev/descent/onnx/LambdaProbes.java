package dev.descent.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Identifies the function of a DJL {@code LambdaBlock} by comparing its output on a probe with
 * known functions evaluated by DJL on the same probe, and writes the matching ONNX nodes. See
 * {@link OnnxExporter} for the list of functions and the tolerance.
 */
final class LambdaProbes {

    /** Writes the ONNX form of an identified function; returns the output value's name. */
    @FunctionalInterface
    private interface Emitter {
        String emit(OnnxExporter.GraphWriter w, String where, String x);
    }

    /** A known function: its DJL reference and its ONNX form. */
    private record Candidate(String name, UnaryOperator<NDArray> reference, Emitter emitter) {}

    private static final double SQRT2 = Math.sqrt(2);

    private static final double LN2 = Math.log(2);

    private LambdaProbes() {}

    /**
     * Identifies a LambdaBlock from its output on a probe and writes its ONNX form.
     *
     * @param w the graph being written
     * @param block the LambdaBlock, for messages
     * @param where the block's path
     * @param in the value entering the block
     * @param x the probe (batch first); not modified
     * @param y the block's output on the probe; not modified
     * @return the output value's name, or null if no known function matches
     */
    static String identify(
            OnnxExporter.GraphWriter w,
            Block block,
            String where,
            OnnxExporter.Flow in,
            NDArray x,
            NDArray y) {
        for (Candidate c : candidates(x, y)) {
            NDArray reference;
            try {
                reference = c.reference().apply(x);
            } catch (RuntimeException e) {
                continue;
            }
            if (!matches(reference, y)) {
                continue;
            }
            if (c.name().equals("gelu")) {
                double gap = maxGapFromErfGelu(x, y);
                if (gap > OnnxExporter.GELU_ERF_ATOL) {
                    w.problem(
                            where,
                            block,
                            "it is DJL's GELU, which differs from the erf form x·Φ(x) by up to "
                                    + gap
                                    + " (more than "
                                    + OnnxExporter.GELU_ERF_ATOL
                                    + "); only the erf form is exported at opset "
                                    + OnnxExporter.OPSET);
                    return in.value();
                }
            }
            return c.emitter().emit(w, where, in.value());
        }
        return null;
    }

    private static boolean matches(NDArray reference, NDArray y) {
        if (!reference.getShape().equals(y.getShape())) {
            return false;
        }
        double scale = Math.max(1, y.abs().max().getFloat());
        double gap = reference.sub(y).abs().max().getFloat();
        return gap <= OnnxExporter.PROBE_RTOL * scale;
    }

    private static List<Candidate> candidates(NDArray x, NDArray y) {
        List<Candidate> list = new ArrayList<>();
        if (y.getShape().equals(x.getShape())) {
            elementwise(list, x, y);
        }
        list.add(
                new Candidate(
                        "batchFlatten",
                        Blocks::batchFlatten,
                        (w, where, v) ->
                                w.node(
                                        "Flatten",
                                        where + "/Flatten",
                                        List.of(v),
                                        OnnxExporter.intAttr("axis", 1))));
        int spatialRank = x.getShape().dimension() - 2;
        if (spatialRank == 1 || spatialRank == 2) {
            pooling(list, x.getShape(), y.getShape(), spatialRank);
            upsampling(list, x.getShape(), y.getShape(), spatialRank);
        }
        return list;
    }

    /**
     * Nearest-neighbour upsampling by one integer factor k ≥ 2 on every spatial axis (each element
     * repeated k times along each, {@code repeat(axis, k)} in DJL): ONNX {@code Resize} in nearest
     * mode with asymmetric coordinates and floor rounding, output index i reading input ⌊i/k⌋.
     */
    private static void upsampling(List<Candidate> list, Shape in, Shape out, int spatialRank) {
        if (out.dimension() != in.dimension() || out.get(1) != in.get(1) || in.get(2) == 0) {
            return;
        }
        long k = out.get(2) / in.get(2);
        for (int axis = 2; axis < in.dimension(); axis++) {
            if (k < 2 || out.get(axis) != k * in.get(axis)) {
                return;
            }
        }
        float[] scales = new float[in.dimension()];
        Arrays.fill(scales, 1f);
        for (int axis = 2; axis < in.dimension(); axis++) {
            scales[axis] = k;
        }
        list.add(
                new Candidate(
                        "upsampleNearest(" + k + ")",
                        a -> {
                            NDArray r = a;
                            for (int axis = 2; axis < a.getShape().dimension(); axis++) {
                                r = r.repeat(axis, k);
                            }
                            return r;
                        },
                        (w, where, v) ->
                                w.node(
                                        "Resize",
                                        where + "/Resize",
                                        List.of(v, "", w.constant(where + "/scales", scales)),
                                        OnnxExporter.stringAttr("mode", "nearest"),
                                        OnnxExporter.stringAttr(
                                                "coordinate_transformation_mode", "asymmetric"),
                                        OnnxExporter.stringAttr("nearest_mode", "floor"))));
    }

    private static void elementwise(List<Candidate> list, NDArray x, NDArray y) {
        list.add(new Candidate("identity", a -> a, (w, where, v) -> v));
        list.add(unary("relu", Activation::relu, "Relu"));
        list.add(unary("sigmoid", Activation::sigmoid, "Sigmoid"));
        list.add(unary("tanh", Activation::tanh, "Tanh"));
        list.add(unary("softplus", Activation::softPlus, "Softplus"));
        list.add(unary("selu", Activation::selu, "Selu"));
        list.add(
                new Candidate(
                        "relu6",
                        Activation::relu6,
                        (w, where, v) ->
                                w.node(
                                        "Clip",
                                        where + "/Clip",
                                        List.of(
                                                v,
                                                w.constant(where + "/min", 0f),
                                                w.constant(where + "/max", 6f)))));
        list.add(
                new Candidate(
                        "softsign",
                        Activation::softSign,
                        (w, where, v) -> {
                            String abs = w.node("Abs", where + "/Abs", List.of(v));
                            String den =
                                    w.node(
                                            "Add",
                                            where + "/Add",
                                            List.of(abs, w.constant(where + "/one", 1f)));
                            return w.node("Div", where + "/Div", List.of(v, den));
                        }));
        list.add(
                new Candidate(
                        "mish",
                        Activation::mish,
                        (w, where, v) -> {
                            // DJL 0.36 computes mish as x·tanh(log₂(1 + eˣ)), not with the natural
                            // log of the paper; the export reproduces DJL's function.
                            String sp = w.node("Softplus", where + "/Softplus", List.of(v));
                            String log2 =
                                    w.node(
                                            "Div",
                                            where + "/DivLn2",
                                            List.of(sp, w.constant(where + "/ln2", (float) LN2)));
                            String t = w.node("Tanh", where + "/Tanh", List.of(log2));
                            return w.node("Mul", where + "/Mul", List.of(v, t));
                        }));
        list.add(new Candidate("gelu", Activation::gelu, LambdaProbes::erfGelu));
        list.add(
                new Candidate(
                        "softmax",
                        a -> a.softmax(-1),
                        (w, where, v) ->
                                w.node(
                                        "Softmax",
                                        where + "/Softmax",
                                        List.of(v),
                                        OnnxExporter.intAttr("axis", -1))));
        list.add(
                new Candidate(
                        "logSoftmax",
                        a -> a.logSoftmax(-1),
                        (w, where, v) ->
                                w.node(
                                        "LogSoftmax",
                                        where + "/LogSoftmax",
                                        List.of(v),
                                        OnnxExporter.intAttr("axis", -1))));

        float[] xs = x.toFloatArray();
        float[] ys = y.toFloatArray();
        int negative = argMin(xs);
        if (xs[negative] < -1) {
            float alpha = (float) (ys[negative] / (double) xs[negative]);
            list.add(
                    new Candidate(
                            "leakyRelu(" + alpha + ")",
                            a -> Activation.leakyRelu(a, alpha),
                            (w, where, v) ->
                                    w.node(
                                            "LeakyRelu",
                                            where + "/LeakyRelu",
                                            List.of(v),
                                            OnnxExporter.floatAttr("alpha", alpha))));
            float eluAlpha = (float) (ys[negative] / Math.expm1(xs[negative]));
            list.add(
                    new Candidate(
                            "elu(" + eluAlpha + ")",
                            a -> Activation.elu(a, eluAlpha),
                            (w, where, v) ->
                                    w.node(
                                            "Elu",
                                            where + "/Elu",
                                            List.of(v),
                                            OnnxExporter.floatAttr("alpha", eluAlpha))));
        }
        int near1 = argClosest(xs, 1f);
        double ratio = ys[near1] / (double) xs[near1];
        if (xs[near1] > 0.5 && ratio > 0 && ratio < 1) {
            float beta = (float) (Math.log(ratio / (1 - ratio)) / xs[near1]);
            list.add(
                    new Candidate(
                            "swish(" + beta + ")",
                            a -> Activation.swish(a, beta),
                            (w, where, v) -> {
                                String scaled =
                                        w.node(
                                                "Mul",
                                                where + "/MulBeta",
                                                List.of(v, w.constant(where + "/beta", beta)));
                                String s = w.node("Sigmoid", where + "/Sigmoid", List.of(scaled));
                                return w.node("Mul", where + "/Mul", List.of(v, s));
                            }));
        }
    }

    private static void pooling(List<Candidate> list, Shape in, Shape out, int spatialRank) {
        long[] spatial = in.slice(2).getShape();
        boolean flat = out.dimension() == 2;
        list.add(
                new Candidate(
                        "globalAvgPool",
                        spatialRank == 1 ? Pool::globalAvgPool1d : Pool::globalAvgPool2d,
                        (w, where, v) ->
                                maybeFlatten(
                                        w,
                                        where,
                                        w.node(
                                                "GlobalAveragePool",
                                                where + "/GlobalAveragePool",
                                                List.of(v)),
                                        flat)));
        list.add(
                new Candidate(
                        "globalMaxPool",
                        spatialRank == 1 ? Pool::globalMaxPool1d : Pool::globalMaxPool2d,
                        (w, where, v) ->
                                maybeFlatten(
                                        w,
                                        where,
                                        w.node(
                                                "MaxPool",
                                                where + "/MaxPool",
                                                List.of(v),
                                                OnnxExporter.intsAttr("kernel_shape", spatial)),
                                        flat)));
        if (out.dimension() != in.dimension() || out.get(1) != in.get(1)) {
            return;
        }
        long smallest = Arrays.stream(spatial).min().orElse(0);
        for (int k = 1; k <= Math.min(OnnxExporter.MAX_POOL_KERNEL, smallest); k++) {
            for (int s = 1; s <= k; s++) {
                for (int p = 0; p <= k / 2; p++) {
                    if (!poolShapeMatches(spatial, out.slice(2).getShape(), k, s, p)) {
                        continue;
                    }
                    Shape kernel = uniform(spatialRank, k);
                    Shape stride = uniform(spatialRank, s);
                    Shape pad = uniform(spatialRank, p);
                    long[] pads = new long[2 * spatialRank];
                    Arrays.fill(pads, p);
                    String suffix = "(k" + k + ",s" + s + ",p" + p + ")";
                    list.add(
                            new Candidate(
                                    "maxPool" + suffix,
                                    a ->
                                            spatialRank == 1
                                                    ? Pool.maxPool1d(a, kernel, stride, pad, false)
                                                    : Pool.maxPool2d(a, kernel, stride, pad, false),
                                    (w, where, v) ->
                                            w.node(
                                                    "MaxPool",
                                                    where + "/MaxPool",
                                                    List.of(v),
                                                    OnnxExporter.intsAttr(
                                                            "kernel_shape", kernel.getShape()),
                                                    OnnxExporter.intsAttr(
                                                            "strides", stride.getShape()),
                                                    OnnxExporter.intsAttr("pads", pads))));
                    // DJL's PyTorch engine divides by the full window whatever countIncludePad
                    // says, so the ONNX form always counts the padding.
                    list.add(
                            new Candidate(
                                    "avgPool" + suffix,
                                    a ->
                                            spatialRank == 1
                                                    ? Pool.avgPool1d(
                                                            a, kernel, stride, pad, false, true)
                                                    : Pool.avgPool2d(
                                                            a, kernel, stride, pad, false, true),
                                    (w, where, v) ->
                                            w.node(
                                                    "AveragePool",
                                                    where + "/AveragePool",
                                                    List.of(v),
                                                    OnnxExporter.intsAttr(
                                                            "kernel_shape", kernel.getShape()),
                                                    OnnxExporter.intsAttr(
                                                            "strides", stride.getShape()),
                                                    OnnxExporter.intsAttr("pads", pads),
                                                    OnnxExporter.intAttr("count_include_pad", 1))));
                }
            }
        }
    }

    private static boolean poolShapeMatches(long[] in, long[] out, int k, int s, int p) {
        for (int i = 0; i < in.length; i++) {
            if ((in[i] + 2L * p - k) / s + 1 != out[i]) {
                return false;
            }
        }
        return true;
    }

    private static Shape uniform(int rank, long value) {
        long[] v = new long[rank];
        Arrays.fill(v, value);
        return new Shape(v);
    }

    private static String maybeFlatten(
            OnnxExporter.GraphWriter w, String where, String v, boolean flat) {
        return flat
                ? w.node("Flatten", where + "/Flatten", List.of(v), OnnxExporter.intAttr("axis", 1))
                : v;
    }

    private static Candidate unary(String name, UnaryOperator<NDArray> reference, String op) {
        return new Candidate(
                name, reference, (w, where, v) -> w.node(op, where + "/" + op, List.of(v)));
    }

    /** GELU as torch.onnx.export writes it: 0.5·x·(1 + erf(x/√2)). */
    private static String erfGelu(OnnxExporter.GraphWriter w, String where, String v) {
        String scaled =
                w.node(
                        "Div",
                        where + "/Div",
                        List.of(v, w.constant(where + "/sqrt2", (float) SQRT2)));
        String erf = w.node("Erf", where + "/Erf", List.of(scaled));
        String onePlus =
                w.node("Add", where + "/Add", List.of(erf, w.constant(where + "/one", 1f)));
        String product = w.node("Mul", where + "/Mul", List.of(v, onePlus));
        return w.node(
                "Mul", where + "/MulHalf", List.of(product, w.constant(where + "/half", 0.5f)));
    }

    private static double maxGapFromErfGelu(NDArray x, NDArray y) {
        float[] xs = x.toFloatArray();
        float[] ys = y.toFloatArray();
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            double exact = 0.5 * xs[i] * (1 + erf(xs[i] / SQRT2));
            worst = Math.max(worst, Math.abs(exact - ys[i]));
        }
        return worst;
    }

    /**
     * erf by its Maclaurin series, used for |z| ≤ 4 (the probe's range over √2 is below 2.9): there
     * the largest term is below e^{16} and the cancellation error below 1e-9.
     */
    static double erf(double z) {
        if (Math.abs(z) > 4) {
            return Math.signum(z); // erfc(4) < 1.6e-8
        }
        double term = z;
        double sum = z;
        for (int n = 1; n < 200; n++) {
            term *= -z * z / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static int argMin(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argClosest(float[] v, float target) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i] - target) < Math.abs(v[best] - target)) {
                best = i;
            }
        }
        return best;
    }
}

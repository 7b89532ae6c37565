package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.descent.curvature.HessianVectorProduct.Method;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * 10,000 Hessian-vector products on a small MLP, each from a new operator (forward, double
 * backward, product, close), must not grow native memory. Measured as the process's resident memory
 * minus the committed Java heap, so that heap growth does not count; a leaked graph per product
 * (parameters, activations and gradient tensors, about 10 KB here) would add 100 MB.
 */
class HessianMemoryTest {

    private static final int WARMUP = 1_000;
    private static final int PRODUCTS = 10_000;

    /** Allowed growth: allocator and JIT noise, a fraction of what a per-product leak adds. */
    private static final long ALLOWED_BYTES = 24L << 20;

    static long nativeBytes() throws IOException {
        long rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return rssKb * 1024 - Runtime.getRuntime().totalMemory();
    }

    private static void products(Block block, NDArray x, NDArray target, int count) {
        NDManager manager = x.getManager();
        for (int i = 0; i < count; i++) {
            try (NDManager scope = manager.newSubManager();
                    HessianVectorProduct h =
                            HessianVectorProduct.ofParameters(
                                    block,
                                    new NDList(x),
                                    out -> out.head().sub(target).square().mean(),
                                    Method.EXACT)) {
                NDArray v = scope.ones(new Shape(h.dimension()), DataType.FLOAT32);
                h.apply(v).close();
            }
        }
    }

    @Test
    void tenThousandProductsDoNotGrowNativeMemory() throws IOException {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux /proc");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(3);
            Block block =
                    new ai.djl.nn.SequentialBlock()
                            .add(ai.djl.nn.core.Linear.builder().setUnits(32).build())
                            .add(ai.djl.nn.Activation::tanh)
                            .add(ai.djl.nn.core.Linear.builder().setUnits(4).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(16, 8));
            NDArray x = manager.randomNormal(new Shape(16, 8));
            NDArray target = manager.randomNormal(new Shape(16, 4));
            products(block, x, target, WARMUP);
            System.gc();
            long before = nativeBytes();
            products(block, x, target, PRODUCTS);
            System.gc();
            long growth = nativeBytes() - before;
            assertThat(growth)
                    .as("native memory growth over %d products (bytes)", PRODUCTS)
                    .isLessThan(ALLOWED_BYTES);
        }
    }
}

package dev.descent.curvature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.descent.curvature.HessianVectorProduct.Method;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hessian-vector products leave nothing behind. Each product builds a new operator on a small MLP
 * (forward, gradient with its graph kept, one double backward, close). After {@value #WARMUP}
 * products of warm-up, counts are read before any product, after N = {@value #N} and after 3N; a
 * leak grows linearly with the number of products, so the added 2N products must add nothing beyond
 * noise:
 *
 * <ul>
 *   <li>DJL's live arrays, under every manager of the engine, come back exactly to their count;
 *   <li>glibc's bytes in use outside the JVM's own allocations ({@code mallinfo2}'s {@code uordblks
 *       + hblkhd} minus the JVM's malloc total from Native Memory Tracking) grow by at most {@link
 *       #ALLOWED_BYTES} between N and 3N, i.e. less than about 175 bytes per product, where a
 *       leaked graph (parameters, activations and gradients) is about 10 KB;
 *   <li>no product creates a direct buffer: DJL's PyTorch engine keeps the data of an array made
 *       from Java values in one, which only the garbage collector frees; counted in one-product
 *       windows with no collection.
 * </ul>
 *
 * <p>The JVM's malloc total is subtracted because its compilers cache arenas of up to ~50 MB and
 * free them every few seconds, which moves glibc's raw figure by ±20 MB; the module's surefire
 * configuration runs this class (tag {@code native-memory}) in a JVM of its own with tracking on.
 * The resident set size is not used: it counts Java heap pages the first time they are touched,
 * which with {@code -Xms1g} reads as hundreds of MB of growth. libtorch keeps no allocator
 * statistics for CPU memory that DJL can reach.
 */
@Tag("native-memory")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HessianMemoryTest {

    private static final int WARMUP = 1_000;
    private static final int N = 3_000;

    /** One-product windows without a collection in which direct buffers are counted. */
    private static final int WINDOWS = 20;

    /** Allocator noise between N and 3N: measured within 0.2 MB; a leaked graph adds ~60 MB. */
    private static final long ALLOWED_BYTES = 1L << 20;

    private NDManager manager;
    private Block block;
    private NDArray x;
    private NDArray target;

    private Counts base;
    private Counts afterN;
    private Counts after3N;
    private long maxDirectBuffersPerProduct;

    /** The counts read at one moment. */
    private record Counts(int liveArrays, long glibcBytes, OptionalLong jvmMallocBytes) {
        static Counts read(NDManager manager) {
            OptionalLong jvm = NativeMemory.jvmMallocBytes();
            long glibc = NativeMemory.glibcAvailable() ? NativeMemory.glibcBytesInUse() : -1;
            return new Counts(NativeMemory.liveArrays(manager), glibc, jvm);
        }

        /** glibc's bytes in use less the JVM's own mallocs. */
        long bytesOutsideJvm() {
            return glibcBytes - jvmMallocBytes.getAsLong();
        }
    }

    @BeforeAll
    void runProducts() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Engine.getInstance().setRandomSeed(3);
        block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(32).build())
                        .add(Activation::tanh)
                        .add(Linear.builder().setUnits(4).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(16, 8));
        x = manager.randomNormal(new Shape(16, 8));
        target = manager.randomNormal(new Shape(16, 4));

        products(WARMUP);
        maxDirectBuffersPerProduct = DirectBuffers.mostMadeBy(WINDOWS, () -> products(1));
        base = Counts.read(manager);
        products(N);
        afterN = Counts.read(manager);
        products(2 * N);
        after3N = Counts.read(manager);
    }

    @AfterAll
    void closeManager() {
        manager.close();
    }

    private void products(int count) {
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
    void liveArraysReturnToTheirCountAfterNAnd3NProducts() {
        assertThat(new int[] {afterN.liveArrays(), after3N.liveArrays()})
                .as("live arrays after %d and %d products, %d before", N, 3 * N, base.liveArrays())
                .containsExactly(base.liveArrays(), base.liveArrays());
    }

    @Test
    void glibcBytesOutsideTheJvmDoNotGrowWithTheNumberOfProducts() {
        assumeTrue(NativeMemory.glibcAvailable(), "needs glibc 2.33+ (mallinfo2)");
        assumeTrue(
                base.jvmMallocBytes().isPresent(),
                "needs -XX:NativeMemoryTracking=summary (djl-optimizers' native-memory execution)");
        long growthN = afterN.bytesOutsideJvm() - base.bytesOutsideJvm();
        long growth3N = after3N.bytesOutsideJvm() - base.bytesOutsideJvm();
        assertThat(growth3N)
                .as(
                        "growth of glibc bytes in use outside the JVM over %d products (%d over"
                                + " %d; %d bytes before; a leak of k bytes per product adds 2Nk)",
                        3 * N, growthN, N, base.bytesOutsideJvm())
                .isLessThanOrEqualTo(growthN + ALLOWED_BYTES);
    }

    @Test
    void productsCreateNoDirectBuffers() {
        assertThat(maxDirectBuffersPerProduct)
                .as("direct buffers created by one product (most over %d windows)", WINDOWS)
                .isLessThanOrEqualTo(0);
    }
}

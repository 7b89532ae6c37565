package dev.descent.curvature;

import ai.djl.ndarray.NDManager;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Counts for native-memory tests, each exact at the moment it is read: DJL's live arrays, glibc's
 * bytes in use and the JVM's own malloc total ({@link DirectBuffers} counts direct buffers).
 */
final class NativeMemory {

    private static final Pattern NMT_MALLOC_TOTAL = Pattern.compile("malloc: (\\d+) #\\d+");

    private NativeMemory() {}

    /** {@code struct mallinfo2} (glibc 2.33 and later; {@code size_t} fields, 64-bit only). */
    @Structure.FieldOrder({
        "arena",
        "ordblks",
        "smblks",
        "hblks",
        "hblkhd",
        "usmblks",
        "fsmblks",
        "uordblks",
        "fordblks",
        "keepcost"
    })
    public static final class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    /** The C library's {@code mallinfo2}. */
    public interface LibC extends Library {
        MallInfo2 mallinfo2();
    }

    private static LibC libc;

    /**
     * Whether glibc's {@code mallinfo2} can be called here (Linux, glibc 2.33 or later, 64-bit).
     *
     * @return true when {@link #glibcBytesInUse()} works
     */
    static synchronized boolean glibcAvailable() {
        if (libc != null) {
            return true;
        }
        if (!System.getProperty("os.name").startsWith("Linux") || Native.SIZE_T_SIZE != 8) {
            return false;
        }
        try {
            LibC candidate = Native.load("c", LibC.class);
            candidate.mallinfo2();
            libc = candidate;
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /**
     * Bytes glibc's allocator has handed out and not yet been given back, in all arenas: {@code
     * uordblks} (chunks in use in the heaps) plus {@code hblkhd} (chunks served by {@code mmap}).
     *
     * @return bytes in use
     */
    static long glibcBytesInUse() {
        if (!glibcAvailable()) {
            throw new IllegalStateException("glibc's mallinfo2 is not available");
        }
        MallInfo2 info = libc.mallinfo2();
        return info.uordblks + info.hblkhd;
    }

    /**
     * The JVM's own malloc total (the heap, the compilers' arenas, direct buffers, ...) from Native
     * Memory Tracking, when the JVM was started with {@code -XX:NativeMemoryTracking=summary}.
     *
     * @return bytes, or empty when tracking is off
     */
    static OptionalLong jvmMallocBytes() {
        String report;
        try {
            report =
                    (String)
                            ManagementFactory.getPlatformMBeanServer()
                                    .invoke(
                                            new ObjectName(
                                                    "com.sun.management:type=DiagnosticCommand"),
                                            "vmNativeMemory",
                                            new Object[] {new String[] {"summary", "scale=b"}},
                                            new String[] {String[].class.getName()});
        } catch (JMException e) {
            return OptionalLong.empty();
        }
        Matcher m = NMT_MALLOC_TOTAL.matcher(report);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * The arrays alive under every manager of the engine: the root (system) manager above {@code
     * manager}, with all its descendants.
     *
     * @param manager any manager of the engine
     * @return the number of open arrays
     */
    static int liveArrays(NDManager manager) {
        NDManager root = manager;
        while (root.getParentManager() != null) {
            root = root.getParentManager();
        }
        return root.getManagedArrays().size();
    }
}

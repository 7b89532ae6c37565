package dev.descent.curvature;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Counts of the JVM's direct buffers, for tests of arrays made from Java data: DJL's PyTorch engine
 * backs every array it creates from Java data (and the scalar of every {@code Number} argument)
 * with one, which the garbage collector frees once the array is closed and unreachable (see {@link
 * GraphConstants}). Shared with the other modules' tests through djl-optimizers' test jar.
 */
public final class DirectBuffers {

    private DirectBuffers() {}

    /**
     * Direct buffers not yet freed.
     *
     * @return the number of direct buffers
     */
    public static long count() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getCount();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }

    /**
     * Collections run so far by all collectors.
     *
     * @return the count
     */
    public static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /**
     * The most direct buffers one run of {@code action} leaves behind, over {@code windows} runs
     * without a garbage collection (runs with one are repeated, at most {@code 10·windows} runs in
     * all). Without a collection no direct buffer is freed, so the difference of the counts is
     * exactly the number the run made.
     *
     * @param windows the runs to count, {@code >= 1}
     * @param action what to count
     * @return the largest count of one run
     * @throws IllegalStateException if fewer than {@code windows} runs went without a collection
     */
    public static long mostMadeBy(int windows, Runnable action) {
        long most = Long.MIN_VALUE;
        int counted = 0;
        for (int run = 0; counted < windows && run < 10 * windows; run++) {
            long collections = collections();
            long before = count();
            action.run();
            long made = count() - before;
            if (collections() == collections) {
                counted++;
                most = Math.max(most, made);
            }
        }
        if (counted < windows) {
            throw new IllegalStateException(
                    "only " + counted + " of " + windows + " runs went without a collection");
        }
        return most;
    }

    /**
     * Frees the buffers of arrays already closed and unreachable: runs the garbage collector until
     * the count is the same after two collections in a row (at most 100).
     *
     * @return the count left
     */
    public static long settle() {
        long last = -1;
        for (int attempt = 0; attempt < 100; attempt++) {
            collect(attempt);
            long now = count();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new IllegalStateException("the direct buffers did not settle in 100 collections");
    }

    /**
     * Runs the garbage collector until at most {@code limit} direct buffers are left, at most 100
     * times: after {@link #settle()} returned {@code limit}, this frees every buffer made since of
     * an array closed since.
     *
     * @param limit the count to reach
     * @throws IllegalStateException if the count stays above the limit
     */
    public static void collectDownTo(long limit) {
        for (int attempt = 0; attempt < 100 && count() > limit; attempt++) {
            collect(attempt);
        }
        if (count() > limit) {
            throw new IllegalStateException(
                    count() + " direct buffers left after 100 collections, expected " + limit);
        }
    }

    /**
     * One collection, then a pause of {@code 1 + millis} ms for the cleaners that free the buffers.
     */
    private static void collect(int millis) {
        System.gc();
        try {
            Thread.sleep(1 + millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while collecting", e);
        }
    }
}

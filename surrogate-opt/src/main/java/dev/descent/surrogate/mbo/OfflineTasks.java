package dev.descent.surrogate.mbo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The benchmark tasks with their Design-Bench-style data settings: shifted Ackley, Rastrigin and
 * Rosenbrock in 32 dimensions, an NK landscape over sequences of 8 symbols from 4 (one-hot, n =
 * 32), and a spring chain of 8 masses (n = 16).
 */
public final class OfflineTasks {

    /**
     * A task and how its offline data are drawn.
     *
     * @param task the task
     * @param samples the size of the full sample
     * @param keepPercentile the percentile of scores kept (the rest is hidden)
     */
    public record Spec(OfflineTask task, int samples, double keepPercentile) {

        /**
         * Draws the offline data.
         *
         * @param seed the seed of the sample
         * @return the data
         */
        public OfflineDataset data(long seed) {
            return OfflineDataset.sample(task, samples, keepPercentile, seed);
        }
    }

    private static final Map<String, Supplier<Spec>> TASKS = new LinkedHashMap<>();

    static {
        TASKS.put(
                "ackley",
                () ->
                        new Spec(
                                new ShiftedFunctionTask(ShiftedFunctionTask.Function.ACKLEY, 32, 1),
                                4000,
                                50));
        TASKS.put(
                "rastrigin",
                () ->
                        new Spec(
                                new ShiftedFunctionTask(
                                        ShiftedFunctionTask.Function.RASTRIGIN, 32, 2),
                                4000,
                                50));
        TASKS.put(
                "rosenbrock",
                () ->
                        new Spec(
                                new ShiftedFunctionTask(
                                        ShiftedFunctionTask.Function.ROSENBROCK, 32, 3),
                                4000,
                                50));
        TASKS.put("nk", () -> new Spec(new NkLandscapeTask(8, 4, 2, 4), 4000, 50));
        TASKS.put("springs", () -> new Spec(new SpringChainTask(8), 4000, 40));
    }

    private OfflineTasks() {}

    /**
     * Returns the names accepted by {@link #byName}.
     *
     * @return the names, in table order
     */
    public static List<String> names() {
        return List.copyOf(TASKS.keySet());
    }

    /**
     * Returns a task with its data settings.
     *
     * @param name one of {@link #names()}
     * @return the spec
     */
    public static Spec byName(String name) {
        Supplier<Spec> spec = TASKS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException(
                    "unknown task '" + name + "', expected one of " + names());
        }
        return spec.get();
    }
}

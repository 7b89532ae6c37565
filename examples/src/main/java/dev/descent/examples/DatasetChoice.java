package dev.descent.examples;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The data sets {@code descent compare} can train on. */
public enum DatasetChoice {
    /** The bundled UCI handwritten digits ({@link DigitsDataset}). */
    DIGITS("digits", "UCI handwritten digits: 1,797 images of 8×8 pixels in [0, 1], 10 classes"),
    /** Seeded Gaussian blobs ({@link GaussianBlobs}). */
    SYNTHETIC(
            "synthetic",
            "Gaussian blobs: 1,797 samples, 64 features, 10 classes, drawn from the seed");

    private final String cliName;
    private final String description;

    DatasetChoice(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /**
     * Returns the name on the command line.
     *
     * @return the name
     */
    public String cliName() {
        return cliName;
    }

    /**
     * Returns a one-line description for reports.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * Loads (or draws) the data set.
     *
     * @param seed the seed of the synthetic task (unused for the digits)
     * @return the data
     */
    public ClassificationData load(long seed) {
        return this == DIGITS ? DigitsDataset.load() : GaussianBlobs.generate(seed);
    }

    /**
     * Finds a choice by its command-line name, ignoring case.
     *
     * @param name the name
     * @return the choice
     * @throws IllegalArgumentException naming the allowed names when none matches
     */
    public static DatasetChoice fromCliName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (DatasetChoice choice : values()) {
            if (choice.cliName.equals(key)) {
                return choice;
            }
        }
        throw new IllegalArgumentException(
                "unknown data set '" + name + "'; allowed: " + allNames());
    }

    /**
     * Returns every command-line name, comma separated.
     *
     * @return the names
     */
    public static String allNames() {
        return Arrays.stream(values()).map(c -> c.cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

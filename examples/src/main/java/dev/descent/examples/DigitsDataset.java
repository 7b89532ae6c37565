package dev.descent.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The UCI handwritten digits ("Optical Recognition of Handwritten Digits", Alpaydin and Kaynak
 * 1998, CC BY 4.0): 1,797 images of 8×8 pixels, 10 classes, bundled as a resource (see {@code
 * data/DATA-LICENSE.md} beside this class).
 *
 * <p>Each pixel is a count in 0..16; {@link #load()} divides it by 16, so features lie in [0, 1].
 */
public final class DigitsDataset {

    /** The number of images. */
    public static final int ROWS = 1797;

    /** The number of pixels per image (8×8). */
    public static final int FEATURES = 64;

    /** The number of classes (the digits 0..9). */
    public static final int CLASSES = 10;

    /** The largest pixel count in the raw data. */
    static final float MAX_PIXEL = 16f;

    static final String RESOURCE = "data/digits.csv.gz";

    private DigitsDataset() {}

    /**
     * Reads the bundled data set.
     *
     * @return 1,797 rows of 64 features in [0, 1] with labels 0..9
     * @throws UncheckedIOException when the resource is missing or malformed
     */
    public static ClassificationData load() {
        try (InputStream raw = DigitsDataset.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IOException("resource " + RESOURCE + " is not on the class path");
            }
            return parse(new GZIPInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the digits data set", e);
        }
    }

    private static ClassificationData parse(InputStream in) throws IOException {
        float[] features = new float[ROWS * FEATURES];
        int[] labels = new int[ROWS];
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        int row = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            if (row == ROWS) {
                throw new IOException("more than " + ROWS + " rows in " + RESOURCE);
            }
            String[] cells = line.split(",");
            if (cells.length != FEATURES + 1) {
                throw new IOException(
                        "line "
                                + (row + 1)
                                + " of "
                                + RESOURCE
                                + " has "
                                + cells.length
                                + " columns, expected "
                                + (FEATURES + 1));
            }
            for (int j = 0; j < FEATURES; j++) {
                float pixel = Float.parseFloat(cells[j]);
                if (!(pixel >= 0 && pixel <= MAX_PIXEL)) {
                    throw new IOException(
                            "pixel "
                                    + j
                                    + " of line "
                                    + (row + 1)
                                    + " is "
                                    + pixel
                                    + ", not in 0..16");
                }
                features[row * FEATURES + j] = pixel / MAX_PIXEL;
            }
            labels[row] = (int) Float.parseFloat(cells[FEATURES]);
            row++;
        }
        if (row != ROWS) {
            throw new IOException(RESOURCE + " has " + row + " rows, expected " + ROWS);
        }
        return new ClassificationData("digits", features, labels, FEATURES, CLASSES);
    }
}

package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigitsDatasetTest {

    /** Images per digit 0..9 in the bundled file (the UCI test set, optdigits.tes). */
    private static final int[] CLASS_COUNTS = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};

    @Test
    void loadsAllImagesWithPixelsScaledToTheUnitInterval() {
        ClassificationData digits = DigitsDataset.load();

        assertThat(digits.rows()).isEqualTo(1797);
        assertThat(digits.featureCount()).isEqualTo(64);
        assertThat(digits.classCount()).isEqualTo(10);
        assertThat(digits.features()).hasSize(1797 * 64);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : digits.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // Raw counts are 0..16 and both ends occur, so scaling by 1/16 gives exactly 0 and 1.
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void holdsEveryDigitWithItsKnownCount() {
        int[] counts = new int[10];
        for (int label : DigitsDataset.load().labels()) {
            counts[label]++;
        }

        assertThat(counts).containsExactly(CLASS_COUNTS);
    }

    @Test
    void firstImageIsTheZeroOfTheFile() {
        ClassificationData digits = DigitsDataset.load();

        // First line of digits.csv.gz: 0,0,5,13,9,1,0,0,... label 0.
        assertThat(digits.labels()[0]).isZero();
        assertThat(digits.features()[2]).isEqualTo(5f / 16f);
        assertThat(digits.features()[3]).isEqualTo(13f / 16f);
    }
}

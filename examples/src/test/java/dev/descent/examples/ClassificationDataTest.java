package dev.descent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClassificationDataTest {

    @Test
    void splitKeepsEveryRowOnceInTheRatioAsked() {
        ClassificationData digits = DigitsDataset.load();

        ClassificationData.Split split = digits.split(0.8, 42);

        assertThat(split.train().rows()).isEqualTo(1438); // round(1797 · 0.8)
        assertThat(split.validation().rows()).isEqualTo(359);
        assertThat(sortedRows(concat(split.train(), split.validation())))
                .isEqualTo(sortedRows(digits));
    }

    @Test
    void splitDependsOnlyOnTheSeed() {
        ClassificationData digits = DigitsDataset.load();

        ClassificationData.Split a = digits.split(0.8, 7);
        ClassificationData.Split b = digits.split(0.8, 7);
        ClassificationData.Split c = digits.split(0.8, 8);

        assertThat(a.train().labels()).isEqualTo(b.train().labels());
        assertThat(a.train().features()).isEqualTo(b.train().features());
        assertThat(a.train().features()).isNotEqualTo(c.train().features());
    }

    @Test
    void rejectsLabelsOutsideTheClasses() {
        assertThatThrownBy(
                        () -> new ClassificationData("bad", new float[2], new int[] {0, 3}, 1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label of row 1 is 3");
    }

    @Test
    void gaussianBlobsAreSeededAndBalanced() {
        ClassificationData a = GaussianBlobs.generate(42);
        ClassificationData b = GaussianBlobs.generate(42);
        ClassificationData c = GaussianBlobs.generate(43);

        assertThat(a.rows()).isEqualTo(1797);
        assertThat(a.featureCount()).isEqualTo(64);
        assertThat(a.classCount()).isEqualTo(10);
        assertThat(a.features()).isEqualTo(b.features());
        assertThat(a.features()).isNotEqualTo(c.features());
        int[] counts = new int[10];
        for (int label : a.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(179, 180); // 1797 = 7 · 180 + 3 · 179
    }

    private static ClassificationData concat(ClassificationData a, ClassificationData b) {
        float[] x = Arrays.copyOf(a.features(), a.features().length + b.features().length);
        System.arraycopy(b.features(), 0, x, a.features().length, b.features().length);
        int[] y = Arrays.copyOf(a.labels(), a.rows() + b.rows());
        System.arraycopy(b.labels(), 0, y, a.rows(), b.rows());
        return new ClassificationData("both", x, y, a.featureCount(), a.classCount());
    }

    private static String[] sortedRows(ClassificationData data) {
        String[] rows = new String[data.rows()];
        int f = data.featureCount();
        for (int i = 0; i < rows.length; i++) {
            rows[i] =
                    data.labels()[i]
                            + ":"
                            + Arrays.toString(
                                    Arrays.copyOfRange(data.features(), i * f, (i + 1) * f));
        }
        Arrays.sort(rows);
        return rows;
    }
}

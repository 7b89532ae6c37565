package dev.descent.examples;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/** PNG output shared by the example apps' charts. */
final class Charts {

    private Charts() {}

    /**
     * Writes two charts of the same width one above the other as one PNG.
     *
     * @param top the upper chart
     * @param bottom the lower chart
     * @param file the PNG to write (replaced)
     * @throws IOException when the file cannot be written
     */
    static void writeStacked(XYChart top, XYChart bottom, Path file) throws IOException {
        BufferedImage upper = BitmapEncoder.getBufferedImage(top);
        BufferedImage lower = BitmapEncoder.getBufferedImage(bottom);
        BufferedImage image =
                new BufferedImage(
                        Math.max(upper.getWidth(), lower.getWidth()),
                        upper.getHeight() + lower.getHeight(),
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.drawImage(upper, 0, 0, null);
            g.drawImage(lower, 0, upper.getHeight(), null);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}

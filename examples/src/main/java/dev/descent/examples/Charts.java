package dev.descent.examples;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        writeStacked(List.of(top, bottom), file);
    }

    /**
     * Writes charts one above the other, in order, as one PNG.
     *
     * @param charts the charts, top first; at least one
     * @param file the PNG to write (replaced)
     * @throws IOException when the file cannot be written
     */
    static void writeStacked(List<XYChart> charts, Path file) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        int width = 0;
        int height = 0;
        for (XYChart chart : charts) {
            BufferedImage panel = BitmapEncoder.getBufferedImage(chart);
            panels.add(panel);
            width = Math.max(width, panel.getWidth());
            height += panel.getHeight();
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            int y = 0;
            for (BufferedImage panel : panels) {
                g.drawImage(panel, 0, y, null);
                y += panel.getHeight();
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}

package io.un0.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.un0.engine.GeneratedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngTest {

    @Test
    void anImageDecodesToItsGreyLevelsAsAnyPngReaderReadsThem() throws IOException {
        float[] pixels = new float[28 * 28];
        Random random = new Random(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 97 == 0 ? (i % 2 == 0 ? 0f : 1f) : random.nextFloat();
        }
        GeneratedImage image = new GeneratedImage(3, 42, 1, 28, pixels);

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Png.encode(image)));

        assertEquals(28, decoded.getWidth());
        assertEquals(28, decoded.getHeight());
        assertEquals(1, decoded.getRaster().getNumBands(), "greyscale");
        int[] expected = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            expected[i] = Math.round(pixels[i] * 255f);
        }
        assertArrayEquals(expected, decoded.getRaster().getPixels(0, 0, 28, 28, (int[]) null));
        BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(Png.contactSheet(List.of(image), 1, 1)));
        assertArrayEquals(expected, sheet.getRaster().getPixels(0, 0, 28, 28, (int[]) null), "the contact sheet's writer agrees");
    }
}

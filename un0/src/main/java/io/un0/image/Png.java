package io.un0.image;

import io.un0.engine.GeneratedImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** PNG encoding of generated images: one image, or a contact sheet (a grid) for people to look at. */
public final class Png {

    private Png() {
    }

    public static byte[] encode(GeneratedImage image) {
        return encode(raster(List.of(image), 1, 1, 0));
    }

    /** A grid of {@code columns} images, each scaled up {@code scale} times, 2-pixel gutters. */
    public static byte[] contactSheet(List<GeneratedImage> images, int columns, int scale) {
        return encode(raster(images, Math.max(1, Math.min(columns, images.size())), scale, 2));
    }

    private static BufferedImage raster(List<GeneratedImage> images, int columns, int scale, int gutter) {
        int size = images.get(0).size();
        int cell = size * scale + gutter;
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * cell - gutter, rows * cell - gutter, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < images.size(); i++) {
            float[] px = images.get(i).pixels();
            int ox = (i % columns) * cell;
            int oy = (i / columns) * cell;
            for (int y = 0; y < size * scale; y++) {
                for (int x = 0; x < size * scale; x++) {
                    int grey = Math.round(px[(y / scale) * size + x / scale] * 255f);
                    out.getRaster().setSample(ox + x, oy + y, 0, grey);
                }
            }
        }
        return out;
    }

    private static byte[] encode(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

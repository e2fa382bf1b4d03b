package io.un0.image;

import io.un0.engine.GeneratedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** PNG encoding of generated images: one image, or a contact sheet (a grid) for people to look at. */
public final class Png {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** 8-bit greyscale, deflate, adaptive filtering, no interlace. */
    private static final int BIT_DEPTH = 8;
    private static final int GREYSCALE = 0;

    private Png() {
    }

    /**
     * One image as an 8-bit greyscale PNG, written directly (every image a worker serves passes here: ImageIO's
     * general writer cost several times the inference of a one-step image). Rows unfiltered, deflated at the fastest
     * level: at 28 × 28 a better compression saves a few bytes and costs more than it saves on the wire.
     */
    public static byte[] encode(GeneratedImage image) {
        int size = image.size();
        float[] px = image.pixels();
        byte[] scanlines = new byte[size * (size + 1)];
        for (int y = 0, i = 0; y < size; y++) {
            scanlines[i++] = 0; // filter type: none
            for (int x = 0; x < size; x++) {
                scanlines[i++] = (byte) grey(px[y * size + x]);
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        ByteArrayOutputStream idat = new ByteArrayOutputStream(scanlines.length / 2 + 64);
        try {
            deflater.setInput(scanlines);
            deflater.finish();
            byte[] buffer = new byte[scanlines.length + 64];
            while (!deflater.finished()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        } finally {
            deflater.end();
        }
        ByteBuffer header = ByteBuffer.allocate(13).putInt(size).putInt(size).put((byte) BIT_DEPTH).put((byte) GREYSCALE)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream(idat.size() + 64);
        png.writeBytes(SIGNATURE);
        chunk(png, "IHDR", header.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A pixel in [0, 1] as a grey level 0..255, as both encoders write it. */
    private static int grey(float pixel) {
        return Math.round(pixel * 255f);
    }

    /** A grid of {@code columns} images, each scaled up {@code scale} times, 2-pixel gutters. */
    public static byte[] contactSheet(List<GeneratedImage> images, int columns, int scale) {
        return contactSheet(images.stream().map(GeneratedImage::pixels).toList(), images.get(0).size(), columns, scale);
    }

    /** The same grid from square images given as grey levels in [0, 1], {@code size × size} each (real images too). */
    public static byte[] contactSheet(List<float[]> images, int size, int columns, int scale) {
        return encode(raster(images, size, Math.max(1, Math.min(columns, images.size())), scale, 2));
    }

    private static BufferedImage raster(List<float[]> images, int size, int columns, int scale, int gutter) {
        int cell = size * scale + gutter;
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * cell - gutter, rows * cell - gutter, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < images.size(); i++) {
            float[] px = images.get(i);
            int ox = (i % columns) * cell;
            int oy = (i / columns) * cell;
            for (int y = 0; y < size * scale; y++) {
                for (int x = 0; x < size * scale; x++) {
                    out.getRaster().setSample(ox + x, oy + y, 0, grey(px[(y / scale) * size + x / scale]));
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

package io.un0.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST as Debian's {@code dataset-fashion-mnist} package installs it: gzipped IDX files, 28×28 grey
 * images with labels 0–9. Every problem names the file and the command that installs it.
 *
 * @param images row-major 8-bit pixels, {@code count × 784}
 * @param sha256 digest of the two gzipped files read, images then labels, for the model manifest
 */
public record FashionMnist(Split split, int count, byte[] images, byte[] labels, String sha256) {

    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String INSTALL_HINT = "install it with scripts/setup.sh (apt-get install -y dataset-fashion-mnist)";
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final List<String> CLASS_NAMES = List.of(
            "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot");

    public enum Split {
        TRAIN("train", 60_000), TEST("t10k", 10_000);

        final String prefix;
        final int expected;

        Split(String prefix, int expected) {
            this.prefix = prefix;
            this.expected = expected;
        }
    }

    /** The directory from {@code UN0_FASHION_MNIST_DIR}, else Debian's location. */
    public static Path defaultDir() {
        String env = System.getenv("UN0_FASHION_MNIST_DIR");
        return env == null || env.isBlank() ? DEFAULT_DIR : Path.of(env);
    }

    public static boolean isInstalled(Path dir) {
        for (Split s : Split.values()) {
            if (!Files.isRegularFile(imagesFile(dir, s)) || !Files.isRegularFile(labelsFile(dir, s))) {
                return false;
            }
        }
        return true;
    }

    static Path imagesFile(Path dir, Split split) {
        return dir.resolve(split.prefix + "-images-idx3-ubyte.gz");
    }

    static Path labelsFile(Path dir, Split split) {
        return dir.resolve(split.prefix + "-labels-idx1-ubyte.gz");
    }

    public static FashionMnist load(Path dir, Split split) {
        MessageDigest digest = newDigest();
        byte[] images = readIdx(imagesFile(dir, split), 0x803, split.expected, digest);
        byte[] labels = readIdx(labelsFile(dir, split), 0x801, split.expected, digest);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASS_NAMES.size()) {
                throw new DatasetException(labelsFile(dir, split) + " is corrupt: label " + labels[i] + " at record " + i
                        + "; reinstall: apt-get install --reinstall -y dataset-fashion-mnist");
            }
        }
        return new FashionMnist(split, split.expected, images, labels, HexFormat.of().formatHex(digest.digest()));
    }

    private static byte[] readIdx(Path file, int magic, int expectedCount, MessageDigest digest) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("Fashion-MNIST file " + file + " is missing: " + INSTALL_HINT);
        }
        try (InputStream raw = new DigestInputStream(Files.newInputStream(file), digest);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            int found = in.readInt();
            if (found != magic) {
                throw new DatasetException(file + " is corrupt: IDX magic " + Integer.toHexString(found) + ", expected "
                        + Integer.toHexString(magic) + "; reinstall: apt-get install --reinstall -y dataset-fashion-mnist");
            }
            int count = in.readInt();
            int itemSize = 1;
            for (int d = 1; d < (magic & 0xff); d++) {
                itemSize *= in.readInt();
            }
            if (count != expectedCount || (magic == 0x803 && itemSize != PIXELS)) {
                throw new DatasetException(file + " is corrupt: " + count + " records of " + itemSize + " bytes, expected "
                        + expectedCount + " of " + (magic == 0x803 ? PIXELS : 1));
            }
            byte[] data = new byte[count * itemSize];
            in.readFully(data);
            raw.transferTo(java.io.OutputStream.nullOutputStream()); // the digest covers the whole file
            return data;
        } catch (EOFException e) {
            throw new DatasetException(file + " is truncated; reinstall: apt-get install --reinstall -y dataset-fashion-mnist", e);
        } catch (IOException e) {
            throw new DatasetException(file + " cannot be read (" + e.getMessage() + "); " + INSTALL_HINT, e);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int label(int index) {
        return labels[index];
    }

    /** Image {@code index} scaled to [-1, 1], the range the networks work in, written at {@code offset}. */
    public void copyImage(int index, float[] target, int offset) {
        int base = index * PIXELS;
        for (int p = 0; p < PIXELS; p++) {
            target[offset + p] = (images[base + p] & 0xff) / 127.5f - 1f;
        }
    }

    /** Image {@code index} as grey levels in [0, 1], the range of generated images, written at {@code offset}. */
    public void copyGrey(int index, float[] target, int offset) {
        int base = index * PIXELS;
        for (int p = 0; p < PIXELS; p++) {
            target[offset + p] = (images[base + p] & 0xff) / 255f;
        }
    }
}

package io.un0.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FashionMnistTest {

    @Test
    void missingFileNamesThePathAndTheInstallCommand(@TempDir Path dir) {
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains(dir.resolve("t10k-images-idx3-ubyte.gz").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void wrongMagicIsReportedAsCorrupt(@TempDir Path dir) throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x1234, 10_000, new int[] {28, 28}, 0);
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("IDX magic 1234"), e.getMessage());
    }

    @Test
    void truncatedFileIsReported(@TempDir Path dir) throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x803, 10_000, new int[] {28, 28}, 100);
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongCountIsReported(@TempDir Path dir) throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x803, 5, new int[] {28, 28}, 5 * 784);
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("5 records"), e.getMessage());
    }

    @Test
    void installedTestSetLoads() {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()),
                "Fashion-MNIST is not installed at " + FashionMnist.defaultDir() + ": run scripts/setup.sh");
        FashionMnist test = FashionMnist.load(FashionMnist.defaultDir(), FashionMnist.Split.TEST);
        assertEquals(10_000, test.count());
        assertEquals(64, test.sha256().length());
        float[] image = new float[FashionMnist.PIXELS];
        test.copyImage(0, image, 0);
        for (float v : image) {
            assertTrue(v >= -1f && v <= 1f);
        }
    }

    private static void writeIdx(Path file, int magic, int count, int[] dims, int payloadBytes) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            out.writeInt(count);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(new byte[payloadBytes]);
        }
    }
}

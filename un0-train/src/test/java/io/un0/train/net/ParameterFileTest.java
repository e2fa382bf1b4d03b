package io.un0.train.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterFileTest {

    @Test
    void roundTripKeepsNamesOrderShapesAndValues(@TempDir Path dir) throws IOException {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", new HostTensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE}));
        tensors.put("a.bias", new HostTensor(new int[] {1}, new float[] {-0.5f}));
        Path file = dir.resolve("p.bin");
        ParameterFile.write(file, tensors);
        Map<String, HostTensor> back = ParameterFile.read(file);
        assertEquals(List.of("b.weight", "a.bias"), List.copyOf(back.keySet()));
        assertArrayEquals(new int[] {2, 3}, back.get("b.weight").shape());
        assertArrayEquals(tensors.get("b.weight").data(), back.get("b.weight").data());
        assertTrue(Files.notExists(dir.resolve("p.bin.tmp")), "the temporary file is moved into place");
    }

    @Test
    void foreignFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.bin");
        Files.write(file, new byte[] {0, 0, 0, 1, 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> ParameterFile.read(file));
        assertTrue(e.getMessage().contains("not an Un-0 parameter file"), e.getMessage());
    }

    @Test
    void shapeMustHoldTheValues() {
        assertThrows(IllegalArgumentException.class, () -> new HostTensor(new int[] {2, 2}, new float[3]));
    }
}

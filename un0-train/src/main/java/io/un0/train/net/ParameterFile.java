package io.un0.train.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named tensors on disk, in order: the format of checkpoints. Written to a temporary file, then moved, so a kill never leaves half a file. */
public final class ParameterFile {

    private static final int MAGIC = 0x554e3050; // "UN0P"

    private ParameterFile() {
    }

    public static void write(Path file, Map<String, HostTensor> tensors) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(tensors.size());
            for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                int[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (int s : shape) {
                    out.writeInt(s);
                }
                for (float f : e.getValue().data()) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Map<String, HostTensor> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not an Un-0 parameter file");
            }
            int count = in.readInt();
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int[] shape = new int[in.readInt()];
                int n = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readInt();
                    n *= shape[d];
                }
                float[] data = new float[n];
                for (int j = 0; j < n; j++) {
                    data[j] = in.readFloat();
                }
                tensors.put(name, new HostTensor(shape, data));
            }
            return tensors;
        }
    }
}

package io.un0.deploy.mesh;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalMeshTest {

    @TempDir
    Path data;

    /** The default ports with a second gateway: its gRPC port would be the scheduler's HTTP port. Nothing is started. */
    @Test
    void twoServicesOnOnePortAreRefusedBeforeAnythingStarts() {
        MeshOptions clash = new MeshOptions(data, data, 9092, 9093, 1, 8080, 8070, 2, 8081, 8090, 8082, 2, false, 480, "test",
                Optional.empty(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalMesh.start(clash));
        assertEquals("port 8081 would be both the scheduler's HTTP port and gateway 2's gRPC port; choose other ports", e.getMessage());
    }
}

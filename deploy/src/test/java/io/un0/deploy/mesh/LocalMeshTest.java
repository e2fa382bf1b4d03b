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
        MeshOptions clash = new MeshOptions(data, data, 9092, 9093, 1, false, 8080, 8070, 2, 1, 8081, 8090, 8082, 2, false, 480, "test",
                Optional.empty(), Map.of(), MeshOptions.JVM_FLAGS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalMesh.start(clash));
        assertEquals("port 8081 would be both the scheduler's HTTP port and gateway 2's gRPC port; choose other ports", e.getMessage());
    }

    /** A second scheduler takes the two ports after the first's gRPC port; on the default ports they are free. */
    @Test
    void furtherSchedulersTakePairsOfPortsAfterTheFirstsGrpcPort() {
        MeshOptions two = new MeshOptions(data, data, 9092, 9093, 1, false, 8080, 8070, 1, 3, 8081, 8090, 8082, 2, false, 480, "test",
                Optional.empty(), Map.of(), MeshOptions.JVM_FLAGS);
        assertEquals(new ServiceProcess.Ports(8081, 8090), two.schedulerPorts(1));
        assertEquals(new ServiceProcess.Ports(8091, 8092), two.schedulerPorts(2));
        assertEquals(new ServiceProcess.Ports(8093, 8094), two.schedulerPorts(3));
        assertEquals("scheduler-3", MeshOptions.schedulerName(3));
    }

    @Test
    void moreSchedulersThanJobPartitionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MeshOptions(data, data, 9092, 9093, 1, false, 8080, 8070, 1, 7,
                8081, 8090, 8082, 2, false, 480, "test", Optional.empty(), Map.of(), MeshOptions.JVM_FLAGS));
        assertEquals("schedulers must be 1 to 6 (the jobs topic's partitions: one more would idle), got 7", e.getMessage());
    }
}

package io.un0.energy;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.un0.kafka.KafkaAccess;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.vocabulary.CpuEnergyModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessEnergyReporterTest {

    @Test
    void closesWhileAReportWaitsOnAnUnreachableKafka() throws InterruptedException {
        // Nothing listens on port 1: each report waits 30 s for the cluster to be described.
        ProcessEnergyReporter reporter = ProcessEnergyReporter.start(KafkaAccess.plain("127.0.0.1:1"), ProcessRole.PROCESS_ROLE_GATEWAY, "gw-test",
                "", ProcessMeters.auto(CpuEnergyModel.declared(4.4)), () -> ProcessEnergyReporter.Served.NOTHING, Duration.ofMillis(50));
        Thread.sleep(500);
        // Well inside the report's own 30 s: close does not wait for it.
        assertTimeoutPreemptively(Duration.ofSeconds(20), reporter::close);
    }
}

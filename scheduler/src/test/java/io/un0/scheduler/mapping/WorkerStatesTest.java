package io.un0.scheduler.mapping;

import io.un0.proto.ProtoTime;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Heartbeat;
import io.un0.proto.v1.Precision;
import io.un0.routing.WorkerState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerStatesTest {

    private static final Instant SENT = Instant.parse("2026-11-25T12:00:00Z");

    private static Heartbeat.Builder heartbeat() {
        return Heartbeat.newBuilder().setWorker("w1").setPool("edge-es").setSite("bcn").setRegion("ES")
                .setDeviceClass(DeviceClass.DEVICE_CLASS_CPU).addPrecisions(Precision.PRECISION_FP32)
                .addPrecisions(Precision.PRECISION_INT8).setCapacity(32).setQueueDepth(5).setSent(ProtoTime.timestamp(SENT));
    }

    private static String reason(Heartbeat.Builder h) {
        return assertThrows(InvalidEnvelopeException.class, () -> WorkerStates.of(h.build())).getMessage();
    }

    @Test
    void aHeartbeatBecomesTheWorkersState() throws Exception {
        assertEquals(new WorkerState("w1", "edge-es", "bcn", "ES", io.un0.routing.DeviceClass.CPU, Set.of("fp32", "int8"), 32, 5, SENT),
                WorkerStates.of(heartbeat().build()));
    }

    @Test
    void badHeartbeatsNameTheField() {
        assertEquals("worker: missing", reason(heartbeat().clearWorker()));
        assertEquals("pool: 'Edge ES' cannot name an assignment topic (allowed: a-z 0-9 . _ -)", reason(heartbeat().setPool("Edge ES")));
        assertEquals("region: missing", reason(heartbeat().clearRegion()));
        assertEquals("sent: missing", reason(heartbeat().clearSent()));
        assertEquals("device_class: missing", reason(heartbeat().clearDeviceClass()));
        assertEquals("precisions: empty; a worker serves at least one", reason(heartbeat().clearPrecisions()));
        assertEquals("capacity: 4294967295 is above 2147483647", reason(heartbeat().setCapacity(-1)));
    }
}

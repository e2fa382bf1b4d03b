package io.un0.scheduler.mapping;

import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.VariantCost;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.Precision;
import io.un0.routing.Rate;
import io.un0.routing.WorkerState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerStatesTest {

    private static final Instant SENT = Instant.parse("2026-11-26T12:00:00Z");
    private static final DeclaredHardware CPU = DeclaredHardware.of(2, Map.of(INT8, new Rate(700, 0.006), FP32, new Rate(500, 0.009)), 12, 4);
    private static final DeclaredHardware GPU = DeclaredHardware.of(50, Map.of(INT8, new Rate(20_000, 0.0125), FP32, new Rate(10_000, 0.025)), 150, 4);
    private static final Map<io.un0.vocabulary.DeviceClass, DeclaredHardware> DECLARED = Map.of(
            io.un0.vocabulary.DeviceClass.CPU, CPU, io.un0.vocabulary.DeviceClass.GPU, GPU, io.un0.vocabulary.DeviceClass.NPU, CPU);

    private static Heartbeat.Builder heartbeat() {
        return Heartbeat.newBuilder().setWorker("w1").setPool("edge-es").setSite("bcn").setRegion("ES")
                .setDeviceClass(DeviceClass.DEVICE_CLASS_CPU).addPrecisions(Precision.PRECISION_FP32)
                .addPrecisions(Precision.PRECISION_INT8).setCapacity(32).setQueueDepth(5).setPowerWatts(3.5).setSent(ProtoTime.timestamp(SENT));
    }

    private static VariantCost cost(Precision precision, int steps, double secondsPerImage, double joulesPerImage) {
        return VariantCost.newBuilder().setPrecision(precision).setSteps(steps).setSecondsPerImage(secondsPerImage)
                .setEnergyPerImage(Energy.newBuilder().setJoules(joulesPerImage)).build();
    }

    private static String reason(Heartbeat.Builder h) {
        return assertThrows(InvalidEnvelopeException.class, () -> WorkerStates.of(h.build(), DECLARED)).getMessage();
    }

    @Test
    void aHeartbeatWithNothingMeasuredTakesTheDeclaredFigures() throws Exception {
        assertEquals(new WorkerState("w1", "edge-es", "bcn", "ES", io.un0.vocabulary.DeviceClass.CPU, CPU.rates(), 2, 3.5,
                        CPU.embodiedGramsPerSecond(), 32, 5, 5, 5, SENT),
                WorkerStates.of(heartbeat().build(), DECLARED));
        // 12 kg over 4 Julian years.
        assertEquals(12_000 / (4 * 365.25 * 86_400), CPU.embodiedGramsPerSecond(), 1e-15);
        WorkerState gpu = WorkerStates.of(heartbeat().setDeviceClass(DeviceClass.DEVICE_CLASS_GPU).clearPrecisions()
                .addPrecisions(Precision.PRECISION_INT8).build(), DECLARED);
        assertEquals(Map.of(INT8, GPU.rates().get(INT8)), gpu.rates(), "only what it serves, at its class's figures");
        assertEquals(50, gpu.idleWatts());
    }

    @Test
    void theQueueInEvaluationsAndWhatIsAheadOfAnInteractiveJob() throws Exception {
        WorkerState older = WorkerStates.of(heartbeat().build(), DECLARED);
        assertEquals(5, older.queuedEvals(), 0, "a worker that gives images only: one evaluation each");
        assertEquals(5, older.urgentEvals(), 0, "and all of them ahead of an interactive job");
        WorkerState steps = WorkerStates.of(heartbeat().setQueuedEvaluations(20).build(), DECLARED);
        assertEquals(20, steps.queuedEvals(), 0);
        assertEquals(20, steps.urgentEvals(), 0, "unsaid: the batch in hand is finished first");
        WorkerState pausing = WorkerStates.of(heartbeat().setQueuedEvaluations(20).setEvaluationsAheadOfInteractive(4).build(), DECLARED);
        assertEquals(4, pausing.urgentEvals(), 0, "a worker that pauses its batch for interactive work");
        assertEquals("queued_evaluations: -1.0 is not a finite count >= 0", reason(heartbeat().setQueuedEvaluations(-1)));
        assertEquals("evaluations_ahead_of_interactive: NaN is not a finite count >= 0",
                reason(heartbeat().setEvaluationsAheadOfInteractive(Double.NaN)));
    }

    @Test
    void measuredCostsWinPerPrecisionAtTheirFewestSteps() throws Exception {
        WorkerState w = WorkerStates.of(heartbeat()
                .addCosts(cost(Precision.PRECISION_INT8, 4, 0.008, 0.04))
                .addCosts(cost(Precision.PRECISION_INT8, 1, 0.002, 0.005))
                .addCosts(cost(Precision.PRECISION_FP32, 2, 0, 0)) // not measured yet: the declared rate stands
                .build(), DECLARED);
        assertEquals(500, w.rates().get(INT8).evalsPerSecond(), 1e-9, "1 step in 2 ms at 5 mJ: 500 evals/s ...");
        assertEquals(0.005, w.rates().get(INT8).joulesPerEval(), 1e-12, "... 5 mJ each");
        assertEquals(CPU.rates().get(FP32), w.rates().get(FP32));
        WorkerState eight = WorkerStates.of(heartbeat().addCosts(cost(Precision.PRECISION_FP32, 8, 0.016, 0.08)).build(), DECLARED);
        assertEquals(500, eight.rates().get(FP32).evalsPerSecond(), 1e-9);
        assertEquals(0.01, eight.rates().get(FP32).joulesPerEval(), 1e-12);
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
        assertEquals("power_watts: NaN is not a finite figure ≥ 0", reason(heartbeat().setPowerWatts(Double.NaN)));
        assertEquals("costs.precision: PRECISION_UNSPECIFIED is not a precision",
                reason(heartbeat().addCosts(cost(Precision.PRECISION_UNSPECIFIED, 1, 0.001, 0.001))));
    }
}

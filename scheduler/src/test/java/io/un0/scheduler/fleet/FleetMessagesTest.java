package io.un0.scheduler.fleet;

import io.un0.proto.ProtoTime;
import io.un0.proto.v1.GridSignalStatus;
import io.un0.proto.v1.PoolStatus;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.WorkerStatus;
import io.un0.routing.GridSignal;
import io.un0.routing.PoolView;
import io.un0.routing.Rate;
import io.un0.routing.WorkerState;
import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FleetMessagesTest {

    private static final Map<io.un0.vocabulary.Precision, Rate> RATES = Map.of(INT8, new Rate(700, 0.006), FP32, new Rate(500, 0.009));

    private static PoolView pool(double budgetWatts) {
        return new PoolView("edge-es", "roof", "ES", DeviceClass.NPU, RATES, 2, 8, 3, 3, 3, 1.5, 2.5, budgetWatts, 0);
    }

    @Test
    void noCapIsAnAbsentBudgetAndACapIsItsWatts() {
        PoolStatus uncapped = FleetMessages.pool(pool(Double.POSITIVE_INFINITY));
        assertFalse(uncapped.hasBudgetWatts());
        PoolStatus capped = FleetMessages.pool(pool(0));
        assertEquals(0.0, capped.getBudgetWatts(), "a cap of 0 is a cap, not none");
        assertEquals("roof", capped.getSite());
        assertEquals(io.un0.proto.v1.DeviceClass.DEVICE_CLASS_NPU, capped.getDeviceClass());
        assertEquals(2.5, capped.getPowerWatts());
        assertEquals(1.5, capped.getIdleWatts());
        assertEquals(List.of(Precision.PRECISION_FP32, Precision.PRECISION_INT8), capped.getRatesList().stream().map(r -> r.getPrecision()).toList());
        assertEquals(0.006, capped.getRates(1).getJoulesPerEval());
    }

    @Test
    void workersCarryTheirHeartbeatFigures() {
        Instant seen = Instant.parse("2026-03-01T10:00:00.25Z");
        WorkerStatus w = FleetMessages.worker(new WorkerState("w1", "edge-es", "roof", "ES", DeviceClass.CPU, RATES, 1.5, 4.2, 0, 4, 1, 1, 1, seen));
        assertEquals(4.2, w.getPowerWatts());
        assertEquals(seen, ProtoTime.instant(w.getSeen()));
        assertEquals(2, w.getRatesCount());
    }

    @Test
    void signalsSayHowFarTheirForecastReaches() {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        GridSignalStatus none = FleetMessages.signal(GridSignal.now("ES", 180, "static"));
        assertEquals(0, none.getForecastPoints());
        assertFalse(none.hasForecastFirst());
        GridSignalStatus ahead = FleetMessages.signal(new GridSignal("NO", new GridIntensity(30, "replay", true), List.of(
                new GridSignal.Point(t, Duration.ofHours(1), 28), new GridSignal.Point(t.plusSeconds(3600), Duration.ofHours(1), 25),
                new GridSignal.Point(t.plusSeconds(7200), Duration.ofHours(1), 40))));
        assertEquals(3, ahead.getForecastPoints());
        assertEquals(t, ProtoTime.instant(ahead.getForecastFirst()));
        assertEquals(t.plusSeconds(7200), ProtoTime.instant(ahead.getForecastLast()));
        assertEquals(true, ahead.getStale());
        assertEquals(List.of(28.0, 25.0, 40.0), ahead.getForecastList().stream().map(p -> p.getGramsPerKwh()).toList(), "point by point");
        assertEquals(Duration.ofHours(1), ProtoTime.duration(ahead.getForecast(1).getLength()));
        assertEquals(t.plusSeconds(3600), ProtoTime.instant(ahead.getForecast(1).getFrom()));
    }
}

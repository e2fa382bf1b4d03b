package io.un0.scheduler.fleet;

import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.v1.GridForecastPoint;
import io.un0.proto.v1.GridSignalStatus;
import io.un0.proto.v1.PoolStatus;
import io.un0.proto.v1.PrecisionRate;
import io.un0.proto.v1.WorkerStatus;
import io.un0.routing.GridSignal;
import io.un0.routing.PoolView;
import io.un0.routing.Rate;
import io.un0.routing.WorkerState;
import io.un0.vocabulary.Precision;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What routing sees, as the Fleet service tells it. */
final class FleetMessages {

    private FleetMessages() {
    }

    static PoolStatus pool(PoolView p) {
        PoolStatus.Builder b = PoolStatus.newBuilder().setPool(p.pool()).setSite(p.site()).setRegion(p.region())
                .setDeviceClass(ProtoVocabulary.toProto(p.deviceClass())).setLiveWorkers(p.liveWorkers()).setCapacity(p.capacity())
                .setQueued(p.queued()).setPowerWatts(p.powerWatts()).setIdleWatts(p.idleWatts()).addAllRates(rates(p.rates()));
        // Routing marks "no cap" as infinite watts; on the wire the field is left out instead.
        if (Double.isFinite(p.budgetWatts())) {
            b.setBudgetWatts(p.budgetWatts());
        }
        return b.build();
    }

    static WorkerStatus worker(WorkerState w) {
        return WorkerStatus.newBuilder().setWorker(w.worker()).setPool(w.pool()).setSite(w.site()).setRegion(w.region())
                .setDeviceClass(ProtoVocabulary.toProto(w.deviceClass())).setCapacity(w.capacity()).setQueueDepth(w.queueDepth())
                .setPowerWatts(w.powerWatts()).setIdleWatts(w.idleWatts()).addAllRates(rates(w.rates()))
                .setSeen(ProtoTime.timestamp(w.seen())).build();
    }

    static GridSignalStatus signal(GridSignal g) {
        GridSignalStatus.Builder b = GridSignalStatus.newBuilder().setRegion(g.region()).setGramsPerKwh(g.intensity().gramsPerKwh())
                .setSource(g.intensity().source()).setStale(g.intensity().stale()).setForecastPoints(g.forecast().size());
        if (!g.forecast().isEmpty()) {
            b.setForecastFirst(ProtoTime.timestamp(g.forecast().get(0).from()))
                    .setForecastLast(ProtoTime.timestamp(g.forecast().get(g.forecast().size() - 1).from()));
        }
        g.forecast().forEach(p -> b.addForecast(GridForecastPoint.newBuilder().setFrom(ProtoTime.timestamp(p.from()))
                .setLength(ProtoTime.duration(p.length())).setGramsPerKwh(p.gramsPerKwh())));
        return b.build();
    }

    private static List<PrecisionRate> rates(Map<Precision, Rate> rates) {
        return rates.entrySet().stream()
                .map(e -> PrecisionRate.newBuilder().setPrecision(ProtoVocabulary.toProto(e.getKey()))
                        .setEvalsPerSecond(e.getValue().evalsPerSecond()).setJoulesPerEval(e.getValue().joulesPerEval()).build())
                .sorted(Comparator.comparingInt(PrecisionRate::getPrecisionValue)).toList();
    }

}

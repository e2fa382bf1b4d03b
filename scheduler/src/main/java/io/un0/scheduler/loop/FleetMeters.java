package io.un0.scheduler.loop;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleCounter;
import io.opentelemetry.api.metrics.ObservableDoubleGauge;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.un0.proto.ProtoVocabulary;
import io.un0.routing.GridSignal;
import io.un0.routing.PoolView;
import io.un0.routing.PowerBudgets;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fleet as the scheduler sees it, as series an operator can chart and alert on (README, "Metrics"): each live
 * pool's power against the budget it may draw, the sites' budgets, the grid signal in force per region, flagged
 * stale where it was not refreshed in time, and the energy every process of the mesh reported. Read at each
 * collection, from the same view routing uses.
 */
final class FleetMeters implements AutoCloseable {

    private static final AttributeKey<String> POOL = AttributeKey.stringKey("un0.pool");
    private static final AttributeKey<String> SITE = AttributeKey.stringKey("un0.site");
    private static final AttributeKey<String> REGION = AttributeKey.stringKey("un0.grid.region");
    private static final AttributeKey<String> DEVICE = AttributeKey.stringKey("hw.type");
    private static final AttributeKey<String> SIGNAL_SOURCE = AttributeKey.stringKey("un0.grid.signal.source");
    private static final AttributeKey<String> STALE = AttributeKey.stringKey("un0.grid.signal.stale");

    private static final AttributeKey<String> PROCESS = AttributeKey.stringKey("un0.process");
    private static final AttributeKey<String> ROLE = AttributeKey.stringKey("un0.process.role");
    private static final AttributeKey<String> ENERGY_SOURCE = AttributeKey.stringKey("un0.energy.source");

    /** Pool power and budget, read from one fleet snapshot per collection. */
    private final BatchCallback pools;
    private final List<ObservableDoubleGauge> gauges;
    private final ObservableDoubleCounter processEnergy;

    FleetMeters(Meter meter, FleetReader fleet, Supplier<PowerBudgets> budgets, Clock clock) {
        ObservableDoubleMeasurement power = meter.gaugeBuilder("un0.pool.power").setUnit("W")
                .setDescription("What each live pool draws, as its workers' meters said in their last heartbeats").buildObserver();
        ObservableDoubleMeasurement budget = meter.gaugeBuilder("un0.pool.power.budget").setUnit("W")
                .setDescription("What each live pool may draw: the least of its own budget and its site's share; absent where uncapped").buildObserver();
        this.pools = meter.batchCallback(() -> {
            for (PoolView p : fleet.snapshot(clock.instant(), budgets.get()).pools()) {
                power.record(p.powerWatts(), pool(p));
                if (Double.isFinite(p.budgetWatts())) {
                    budget.record(p.budgetWatts(), pool(p));
                }
            }
        }, power, budget);
        this.gauges = List.of(
                meter.gaugeBuilder("un0.site.power.budget").setUnit("W")
                        .setDescription("Each site's power budget, shared by its pools")
                        .buildWithCallback(g -> budgets.get().sites().forEach((site, watts) -> g.record(watts, Attributes.of(SITE, site)))),
                meter.gaugeBuilder("un0.grid.intensity").setUnit("g/kWh")
                        .setDescription("The grid signal in force per region, in grams of CO2e per kWh")
                        .buildWithCallback(g -> fleet.gridAt(clock.instant()).values().forEach(s -> g.record(s.intensity().gramsPerKwh(), signal(s)))));
        // The whole boundary, broker included, as the processes report it on un0.process-energy.v1.
        this.processEnergy = meter.counterBuilder("un0.process.energy").ofDoubles().setUnit("J")
                .setDescription("What each process of the mesh drew since it started, as its own meter says (measured or modelled)")
                .buildWithCallback(c -> fleet.processEnergy().forEach(p -> c.record(p.getEnergy().getJoules(), Attributes.of(PROCESS, p.getProcess(),
                        ROLE, ProtoVocabulary.label(p.getRole()), REGION, p.getRegion(), ENERGY_SOURCE, ProtoVocabulary.label(p.getEnergy().getSource())))));
    }

    private static Attributes pool(PoolView p) {
        return Attributes.of(POOL, p.pool(), SITE, p.site(), REGION, p.region(), DEVICE, ProtoVocabulary.label(ProtoVocabulary.toProto(p.deviceClass())));
    }

    private static Attributes signal(GridSignal s) {
        return Attributes.of(REGION, s.region(), SIGNAL_SOURCE, s.intensity().source(), STALE, Boolean.toString(s.intensity().stale()));
    }

    @Override
    public void close() {
        pools.close();
        gauges.forEach(ObservableDoubleGauge::close);
        processEnergy.close();
    }
}

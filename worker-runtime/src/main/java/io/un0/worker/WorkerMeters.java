package io.un0.worker;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.un0.energy.PowerMeter;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.EnergySource;
import java.util.function.LongSupplier;

/**
 * What a worker says about itself as metrics (README, "Metrics"), named after the OpenTelemetry semantic conventions
 * where they have a name: {@code hw.energy} (J, a counter) for the energy its results carried and {@code hw.power}
 * (W) for what its process draws, each labelled with its source ({@code measured_nvml}, {@code measured_rapl},
 * {@code modelled}); the grams of CO2e per tenant, pool and grid region; images per tenant; engine runs' sizes and
 * times; the queue.
 */
final class WorkerMeters {

    static final AttributeKey<String> POOL = AttributeKey.stringKey("un0.pool");
    static final AttributeKey<String> WORKER = AttributeKey.stringKey("un0.worker");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("un0.tenant");
    static final AttributeKey<String> ENERGY_SOURCE = AttributeKey.stringKey("un0.energy.source");
    static final AttributeKey<String> GRID_REGION = AttributeKey.stringKey("un0.grid.region");
    static final AttributeKey<String> PRECISION = AttributeKey.stringKey("un0.precision");
    static final AttributeKey<String> HW_ID = AttributeKey.stringKey("hw.id");
    static final AttributeKey<String> HW_TYPE = AttributeKey.stringKey("hw.type");

    private final Attributes pool;
    private final LongHistogram batchImages;
    private final DoubleHistogram inferenceSeconds;
    private final DoubleCounter energy;
    private final DoubleCounter carbon;
    private final LongCounter images;
    private final PowerMeter meter;
    private PowerMeter.Sample lastPowerSample;

    WorkerMeters(Meter metrics, String poolName, String worker, PowerMeter meter, LongSupplier queueDepth) {
        this.meter = meter;
        this.pool = Attributes.of(POOL, poolName, WORKER, worker);
        this.batchImages = metrics.histogramBuilder("un0.worker.batch.images").ofLongs()
                .setDescription("Images per engine run").setUnit("{image}").build();
        this.inferenceSeconds = metrics.histogramBuilder("un0.worker.inference.duration")
                .setDescription("Engine time per run").setUnit("s").build();
        metrics.gaugeBuilder("un0.worker.queue.depth").ofLongs().setDescription("Images taken and not yet written")
                .setUnit("{image}").buildWithCallback(g -> g.record(queueDepth.getAsLong(), pool));
        this.energy = metrics.counterBuilder("hw.energy").ofDoubles().setUnit("J")
                .setDescription("Energy of the engine runs whose results this worker wrote, by device and source").build();
        this.carbon = metrics.counterBuilder("un0.carbon").ofDoubles().setUnit("g")
                .setDescription("Grams of CO2e of those runs, by tenant, pool and the grid region they were converted at").build();
        this.images = metrics.counterBuilder("un0.worker.images").setUnit("{image}")
                .setDescription("Images written in results, by tenant, pool and precision").build();
        this.lastPowerSample = meter.sample();
        // The process's meter is the GPU's where NVML reads it, else the CPU's (RAPL's share, or the CPU model).
        String device = meter.source() == EnergySource.ENERGY_SOURCE_MEASURED_NVML ? "gpu" : "cpu";
        Attributes process = pool.toBuilder().put(HW_ID, worker).put(HW_TYPE, device)
                .put(ENERGY_SOURCE, ProtoVocabulary.label(meter.source())).build();
        metrics.gaugeBuilder("hw.power").setUnit("W")
                .setDescription("This worker process's mean power since the previous collection")
                .buildWithCallback(g -> g.record(watts(), process));
    }

    void engineRun(int imagesInRun, double seconds) {
        batchImages.record(imagesInRun, pool);
        inferenceSeconds.record(seconds, pool);
    }

    /** One job's result, as its accounting says: counted once, by the worker that wrote it. */
    void result(Job job, Accounting a) {
        energy.add(a.getEnergy().getJoules(), pool.toBuilder().put(HW_ID, a.getWorker())
                .put(HW_TYPE, ProtoVocabulary.label(a.getDeviceClass()))
                .put(ENERGY_SOURCE, ProtoVocabulary.label(a.getEnergy().getSource())).build());
        carbon.add(a.getCarbon().getGramsCo2E(), pool.toBuilder().put(TENANT, job.getTenant())
                .put(GRID_REGION, a.getCarbon().getRegion()).build());
        images.add(job.getCount(), pool.toBuilder().put(TENANT, job.getTenant()).put(PRECISION, ProtoVocabulary.label(a.getPrecision())).build());
    }

    private synchronized double watts() {
        PowerMeter.Sample now = meter.sample();
        double seconds = (now.wallNanos() - lastPowerSample.wallNanos()) / 1e9;
        double joules = seconds > 0 ? meter.joules(lastPowerSample, now) : 0;
        lastPowerSample = now;
        return seconds > 0 ? joules / seconds : 0;
    }
}

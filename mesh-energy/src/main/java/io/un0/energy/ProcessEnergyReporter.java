package io.un0.energy;

import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.proto.v1.Energy;
import io.un0.vocabulary.CpuEnergyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Says on {@link MeshTopic#PROCESS_ENERGY}, every few seconds and once more when closed, what this process has drawn
 * since it started. The joules are summed tick by tick, so that a meter that shares a package's energy by CPU time
 * (RAPL) shares each tick by that tick's CPU time. A report that Kafka does not take is not retried: the next one
 * carries the total anyway.
 */
public final class ProcessEnergyReporter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProcessEnergyReporter.class.getName());

    /** What a worker's results carried since it started: the images, and the joules accounted to their jobs. */
    public record Served(long images, double joules) {
        public static final Served NOTHING = new Served(0, 0);
    }

    private final String process;
    private final ProcessRole role;
    private final String region;
    private final PowerMeter meter;
    private final Supplier<Served> served;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService ticks;
    private final Duration every;
    private final KafkaAccess kafka;
    /** Made on the first tick, not at start: a service must start, and say it is not ready, while Kafka is away. */
    private boolean topicMade;
    private final Instant started = Instant.now();
    private PowerMeter.Sample last;
    private double joules;

    private ProcessEnergyReporter(KafkaAccess kafka, ProcessRole role, String name, String region, PowerMeter meter,
                                  Supplier<Served> served, Duration every) {
        this.role = role;
        this.process = name(role, name);
        this.region = region;
        this.meter = meter;
        this.served = served;
        this.kafka = kafka;
        this.producer = MeshClients.producer(kafka, process + "-energy", Duration.ofSeconds(10));
        this.last = meter.sample();
        this.every = every;
        this.ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "un0-energy-report");
            t.setDaemon(true);
            return t;
        });
        ticks.scheduleAtFixedRate(this::report, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts reporting.
     *
     * @param name   this process among those of its role (an instance id, a worker id)
     * @param region the grid region it draws from; empty where unknown
     * @param served for workers, what their results carried so far; {@code () -> Served.NOTHING} for the others
     */
    public static ProcessEnergyReporter start(KafkaAccess kafka, ProcessRole role, String name, String region, PowerMeter meter,
                                              Supplier<Served> served, Duration every) {
        return new ProcessEnergyReporter(kafka, role, name, region, meter, served, every);
    }

    /**
     * A service's report as its {@link EnergyConfig} says: its meter chosen by {@code un0.energy.meter}, from its
     * region, every {@code un0.energy.report-every}; a service serves no images of its own.
     */
    public static ProcessEnergyReporter forService(EnergyConfig config, KafkaAccess kafka, ProcessRole role, String name) {
        PowerMeter meter = ProcessMeters.choose("un0.energy.meter", config.meter(), config.powercap(), Path.of("/proc/stat"),
                CpuEnergyModel.declared(config.wattsPerBusyCore()));
        return start(kafka, role, name, config.region().orElse(""), meter, () -> Served.NOTHING, config.reportEvery());
    }

    /** How this process's energy is obtained, for its log. */
    public String describe() {
        return process + " reports every " + every + " from region " + (region.isEmpty() ? "(unknown)" : region) + "; " + meter.describe();
    }

    /** How a process is named on the topic and in every boundary: {@code role/name}, e.g. {@code gateway/gw-1}. */
    public static String name(ProcessRole role, String name) {
        return role.name().substring("PROCESS_ROLE_".length()).toLowerCase(Locale.ROOT) + "/" + name;
    }

    private synchronized void report() {
        try {
            if (!topicMade) {
                MeshTopics.create(kafka, List.of(MeshTopic.PROCESS_ENERGY));
                topicMade = true;
            }
            PowerMeter.Sample now = meter.sample();
            joules += meter.joules(last, now);
            last = now;
            Served s = served.get();
            ProcessEnergy record = ProcessEnergy.newBuilder().setProcess(process).setRole(role)
                    .setEnergy(Energy.newBuilder().setJoules(joules).setSource(meter.source()).setModel(meter.describe()))
                    .setStarted(ProtoTime.timestamp(started)).setSent(ProtoTime.timestamp(Instant.now()))
                    .setRegion(region).setImages(s.images()).setServedJoules(s.joules()).build();
            producer.send(new ProducerRecord<>(MeshTopic.PROCESS_ENERGY.name(), process, record.toByteArray()), (m, e) -> {
                if (e != null) {
                    LOG.log(System.Logger.Level.DEBUG, () -> process + ": energy report not taken (" + e.getMessage() + "); the next one carries it");
                }
            });
        } catch (RuntimeException e) {
            // A failed report must not end the schedule: the next tick carries the total.
            LOG.log(System.Logger.Level.WARNING, process + ": energy report failed: " + e.getMessage());
        }
    }

    /**
     * One last report, so that what the process drew up to its end is counted (where Kafka was reached before). Not
     * synchronized with the reports: one waiting on an unreachable Kafka holds the lock for 30 s, tick after overdue
     * tick, and a close that queued for it kept a gateway from stopping for minutes. The ticks are interrupted instead.
     */
    @Override
    public void close() {
        ticks.shutdownNow();
        boolean stopped;
        try {
            stopped = ticks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        if (stopped && topicMade) {
            report();
        }
        producer.close(Duration.ofSeconds(5));
    }
}

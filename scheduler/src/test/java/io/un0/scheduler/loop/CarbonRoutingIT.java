package io.un0.scheduler.loop;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.un0.broker.LocalKafka;
import io.un0.carbon.IntensitySignal;
import io.un0.carbon.SignalUnavailableException;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.Precision;
import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.PowerBudgets;
import io.un0.scheduler.grid.GridFeed;
import io.un0.scheduler.grid.GridPublisher;
import io.un0.scheduler.testing.BeatingWorkers;
import io.un0.scheduler.testing.MeshBroker;
import io.un0.scheduler.testing.MeshTap;
import io.un0.scheduler.testing.RunningScheduler;
import io.un0.scheduler.testing.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.un0.scheduler.testing.BeatingWorkers.worker;
import static io.un0.scheduler.testing.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The carbon-aware scheduler against a real broker: two pools alike but for their grids, whose intensities the
 * scheduler's own publisher puts on the grid signal topic; jobs follow the greener grid, and follow it when it turns.
 */
class CarbonRoutingIT {

    private static final List<String> POOLS = List.of("edge-es", "edge-no");

    @TempDir
    Path data;
    private LocalKafka kafka;
    private KafkaProducer<String, byte[]> producer;
    private BeatingWorkers workers;
    private MeshTap tap;
    private RunningScheduler scheduler;
    /** What the stand-in grid source says now, by region. */
    private final Map<String, Double> intensity = new ConcurrentHashMap<>();
    private final AtomicReference<PowerBudgets> budgets = new AtomicReference<>(PowerBudgets.NONE);
    private GridPublisher publisher;

    @BeforeEach
    void startMesh() throws Exception {
        kafka = MeshBroker.start(data, POOLS);
        producer = MeshClients.producer(kafka.bootstrapServers(), "test", Duration.ofSeconds(10));
        workers = new BeatingWorkers(kafka.bootstrapServers(), Duration.ofMillis(250));
        workers.beat(worker("es-1", "edge-es", "ES", 64, 0));
        workers.beat(worker("no-1", "edge-no", "NO", 64, 0));
        tap = new MeshTap(kafka.bootstrapServers(), MeshTopic.DECISIONS.name(), MeshTopic.RESULTS.name(),
                MeshTopic.interactiveAssignments("edge-es").name(), MeshTopic.interactiveAssignments("edge-no").name());
        publisher = new GridPublisher(List.of(feed("ES"), feed("NO")), producer, Duration.ofHours(24));
    }

    /** A region whose figure the test sets, published as a live source's would be. */
    private GridFeed feed(String region) {
        return new GridFeed(region, region, (zone, now) -> {
            Double g = intensity.get(zone);
            if (g == null) {
                throw new SignalUnavailableException("no figure for " + zone + " yet");
            }
            return IntensitySignal.read(zone, now, g, "test grid");
        }, Optional.empty(), Duration.ZERO);
    }

    @AfterEach
    void stopMesh() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        tap.close();
        workers.close();
        producer.close(Duration.ofSeconds(5));
        kafka.close();
    }

    private void grid(double es, double no) throws Exception {
        intensity.put("ES", es);
        intensity.put("NO", no);
        for (Future<?> sent : publisher.publish(Instant.now())) {
            sent.get();
        }
    }

    private void awaitGrid(double es, double no) {
        within(Duration.ofSeconds(10), () -> {
            var seen = scheduler.loop().gridNow();
            return seen.containsKey("ES") && seen.get("ES").intensity().gramsPerKwh() == es && seen.containsKey("NO") && seen.get("NO").intensity().gramsPerKwh() == no;
        }, () -> "the scheduler did not see the grid turn: " + scheduler.loop().gridNow());
    }

    private void send(String jobId) throws Exception {
        // reply_to: a caller waits, so the job is interactive.
        Job job = Job.newBuilder().setJobId(jobId).setCount(4).setReplyTo("gateway-1").build();
        producer.send(new ProducerRecord<>(MeshTopic.JOBS.name(), jobId, job.toByteArray())).get();
    }

    private Assignment assigned(String pool, String jobId) {
        // A caller waits: the pool's interactive lane.
        return tap.await(MeshTopic.interactiveAssignments(pool).name(), Assignment.parser(), a -> a.getJob().getJobId().equals(jobId)).message();
    }

    private Decision decision(String jobId) {
        return tap.await(MeshTopic.DECISIONS.name(), Decision.parser(), d -> d.getJobId().equals(jobId)).message();
    }

    @Test
    void jobsGoWhereTheGridIsGreenerAndFollowItWhenItTurns() throws Exception {
        grid(300, 30);
        try (Telemetry telemetry = new Telemetry()) {
            scheduler = RunningScheduler.start(RunningScheduler.settings(kafka.bootstrapServers(), "carbon-aware", Duration.ofSeconds(1),
                    Duration.ofSeconds(30)), new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT), budgets::get, telemetry.sdk());
            awaitGrid(300, 30);
            for (int i = 1; i <= 3; i++) {
                send("green-" + i);
                Assignment a = assigned("edge-no", "green-" + i);
                assertEquals(Precision.PRECISION_INT8, a.getPrecision(), "int8: a third of fp32's joules here");
                assertEquals(30, a.getGrid().getIntensityGPerKwh(), "the worker accounts by the signal the job was routed by");
                assertEquals("NO", a.getGrid().getRegion());
            }
            Decision first = decision("green-1");
            assertEquals(DecisionKind.DECISION_KIND_ASSIGN, first.getKind());
            assertEquals("carbon-aware", first.getPolicy());
            assertEquals("edge-no", first.getChosen().getPool());
            // 4 images × 1 step × 0.1 J at 30 g/kWh; the test hardware declares no embodied emissions.
            assertEquals(4 * 0.1 * 30 / 3.6e6, first.getChosen().getExpectedGramsCo2E(), 1e-12);
            assertTrue(first.getReason().startsWith("least gCO2e among feasible"), first.getReason());
            assertTrue(first.getReason().contains("NO at 30 g/kWh (test grid)"), first.getReason());
            assertTrue(first.getAlternativesList().stream().anyMatch(a -> a.getPool().equals("edge-es")
                    && a.getExpectedGramsCo2E() > first.getChosen().getExpectedGramsCo2E()), "the dirtier pool is on the record: " + first);

            grid(20, 600);
            awaitGrid(20, 600);
            send("turned-1");
            assigned("edge-es", "turned-1");
            assertEquals("edge-es", decision("turned-1").getChosen().getPool());

            SpanData span = telemetry.spans().stream().filter(s -> "green-1".equals(s.getAttributes().get(AttributeKey.stringKey("un0.job_id"))))
                    .findFirst().orElseThrow();
            assertEquals("assign", span.getAttributes().get(AttributeKey.stringKey("un0.route.kind")));
            assertEquals(first.getChosen().getExpectedGramsCo2E(), span.getAttributes().get(AttributeKey.doubleKey("un0.route.expected_gco2e")), 1e-15);
        }
    }

    @Test
    void budgetsBindAndAnInteractiveJobNoPoolCanTakeIsShedAtOnce() throws Exception {
        grid(300, 30);
        scheduler = RunningScheduler.start(RunningScheduler.settings(kafka.bootstrapServers(), "carbon-aware", Duration.ofSeconds(1),
                Duration.ofSeconds(30)), new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT), budgets::get, OpenTelemetry.noop());
        awaitGrid(300, 30);
        // The greener pool's cap covers only its idle watt: it may run nothing, so the job goes to the dirtier one.
        budgets.set(PowerBudgets.NONE.withPool("edge-no", 1));
        send("capped-1");
        assigned("edge-es", "capped-1");
        assertTrue(decision("capped-1").getAlternativesList().stream()
                .anyMatch(a -> a.getPool().equals("edge-no") && a.getRejectedBecause().equals("over budget")));

        budgets.set(PowerBudgets.NONE.withPool("edge-no", 1).withPool("edge-es", 1));
        Instant sent = Instant.now();
        send("capped-2");
        JobResult capped = tap.await(MeshTopic.RESULTS.name(), JobResult.parser(), r -> r.getJobId().equals("capped-2")).message();
        assertEquals(FailureKind.FAILURE_KIND_NO_CAPACITY, capped.getFailure(), "budgets change: a retry may succeed");
        String error = capped.getError();
        assertTrue(error.startsWith("no live pool with room could take job capped-2 now (interactive, so not held; "), error);
        assertTrue(error.contains("; 2 live pools, 2 over budget: edge-es (ES, fp32/int8, "), error);
        assertTrue(error.contains("budget 1 W): over budget; edge-no (NO, fp32/int8, 64 of 64 images free, budget 1 W): over budget)"), error);
        Decision decided = decision("capped-2");
        assertEquals(DecisionKind.DECISION_KIND_SHED, decided.getKind());
        assertTrue(Duration.between(sent, Instant.now()).toSeconds() < 10, "shed at once, not at the deadline");
    }
}

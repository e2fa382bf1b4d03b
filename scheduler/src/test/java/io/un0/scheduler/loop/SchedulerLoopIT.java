package io.un0.scheduler.loop;

import static io.un0.scheduler.testing.BeatingWorkers.worker;
import static io.un0.scheduler.testing.Eventually.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.un0.broker.LocalKafka;
import io.un0.energy.ProcessEnergyReporter;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Deferral;
import io.un0.proto.mesh.v1.ForecastPoint;
import io.un0.proto.mesh.v1.GridIntensity;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.proto.mesh.v1.SharedEnergy;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.DeadLetter;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.QualityTier;
import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.LeastLoadedPolicy;
import io.un0.routing.PowerBudgets;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.testing.BeatingWorkers;
import io.un0.scheduler.testing.MeshBroker;
import io.un0.scheduler.testing.MeshTap.Seen;
import io.un0.scheduler.testing.MeshTap;
import io.un0.scheduler.testing.RunningScheduler;
import io.un0.scheduler.testing.Telemetry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler against a real broker: heartbeats in, jobs in, assignments, decisions, results and dead letters out. */
class SchedulerLoopIT {

    private static final Duration LIVENESS = Duration.ofSeconds(1);
    private static final List<String> POOLS = List.of("edge-a", "gpu-b", "edge-no");
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT_SPAN = "b7ad6b7169203331";

    @TempDir
    Path data;
    private LocalKafka kafka;
    private KafkaProducer<String, byte[]> producer;
    private BeatingWorkers workers;
    private MeshTap tap;
    private final List<RunningScheduler> loops = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        kafka = MeshBroker.start(data, POOLS);
        producer = MeshClients.producer(kafka.bootstrapServers(), "test-gateway", Duration.ofSeconds(10));
        workers = new BeatingWorkers(kafka.bootstrapServers(), Duration.ofMillis(250));
        tap = new MeshTap(kafka.bootstrapServers(), Stream.concat(Stream.of(MeshTopic.DECISIONS, MeshTopic.RESULTS, MeshTopic.DEAD_LETTERS, MeshTopic.DEFERRED)
                .map(MeshTopic::name), POOLS.stream().map(p -> MeshTopic.assignments(p).name())).toArray(String[]::new));
    }

    @AfterEach
    void stopBroker() throws Exception {
        for (RunningScheduler r : loops) {
            r.close();
        }
        tap.close();
        workers.close();
        producer.close(Duration.ofSeconds(5));
        kafka.close();
    }

    private RunningScheduler scheduler(OpenTelemetry otel, Duration maxHold) {
        return started(RunningScheduler.start(RunningScheduler.settings(kafka.bootstrapServers(), "least-loaded", LIVENESS, maxHold),
                new LeastLoadedPolicy(), () -> PowerBudgets.NONE, otel));
    }

    private RunningScheduler started(RunningScheduler running) {
        loops.add(running);
        return running;
    }

    private void send(String topic, Integer partition, String key, byte[] value, String traceparent) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, key, value);
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
    }

    private void send(Job job) throws Exception {
        send(MeshTopic.JOBS.name(), null, job.getJobId(), job.toByteArray(), null);
    }

    /** On the pool's queued lane: no job of these tests has a caller waiting on it. */
    private Seen<Assignment> assignment(String pool, String jobId) {
        return tap.await(MeshTopic.assignments(pool).name(), Assignment.parser(), a -> a.getJob().getJobId().equals(jobId));
    }

    private Seen<Decision> decision(String jobId) {
        return tap.await(MeshTopic.DECISIONS.name(), Decision.parser(), d -> d.getJobId().equals(jobId));
    }

    @Test
    void routesToTheLeastLoadedLivePoolWithRoomAndAroundSilentOnes() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 8, 0));
        workers.beat(worker("b1", "gpu-b", "ES", 8, 8));
        try (Telemetry telemetry = new Telemetry()) {
            scheduler(telemetry.sdk(), Duration.ofSeconds(30));
            Job first = Job.newBuilder().setJobId("job-1").setCount(2).setSeed(7)
                    .setQuality(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_DRAFT)).build();
            send(MeshTopic.JOBS.name(), null, "job-1", first.toByteArray(), "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");

            Seen<Assignment> assigned = assignment("edge-a", "job-1");
            assertEquals("job-1", assigned.record().key());
            assertEquals(first.toBuilder().setPriority(Priority.PRIORITY_BATCH).build(), assigned.message().getJob(),
                    "no caller waits on it: a batch job, on the pool's queued lane");
            assertEquals(Precision.PRECISION_INT8, assigned.message().getPrecision(), "int8 where allowed");
            assertEquals(1, assigned.message().getSteps());
            String traceparent = assigned.header("traceparent");
            assertTrue(traceparent.startsWith("00-" + TRACE_ID + "-"), "the request's trace goes on: " + traceparent);
            assertFalse(traceparent.contains(PARENT_SPAN), "as a child span of the scheduler's: " + traceparent);

            Seen<Decision> decided = decision("job-1");
            assertEquals("job-1", decided.record().key());
            assertEquals(DecisionKind.DECISION_KIND_ASSIGN, decided.message().getKind());
            assertEquals("edge-a", decided.message().getChosen().getPool());
            assertEquals(Precision.PRECISION_INT8, decided.message().getChosen().getPrecision());
            assertEquals("least-loaded", decided.message().getPolicy());
            assertEquals(assigned.message().getDecisionId(), decided.message().getDecisionId());
            assertTrue(decided.message().getReason().startsWith("least loaded: 0 % of 8 images queued"), decided.message().getReason());

            // gpu-b frees up and edge-a falls silent: once past the liveness window, jobs go around edge-a.
            workers.beat(worker("b1", "gpu-b", "ES", 8, 0));
            workers.silence("a1");
            Thread.sleep(LIVENESS.plusMillis(300).toMillis());
            send(Job.newBuilder().setJobId("job-2").setCount(1)
                    .setQuality(Quality.newBuilder().setSteps(4).addAllowedPrecisions(Precision.PRECISION_FP32)).build());
            Seen<Assignment> second = assignment("gpu-b", "job-2");
            assertEquals(Precision.PRECISION_FP32, second.message().getPrecision());
            assertEquals(4, second.message().getSteps());
            assertEquals(DecisionKind.DECISION_KIND_ASSIGN, decision("job-2").message().getKind());

            SpanData span = telemetry.spans().stream().filter(s -> "job-1".equals(s.getAttributes().get(AttributeKey.stringKey("un0.job_id"))))
                    .findFirst().orElseThrow();
            assertEquals("un0.scheduler.route", span.getName());
            assertEquals(SpanKind.CONSUMER, span.getKind());
            assertEquals(TRACE_ID, span.getTraceId());
            assertEquals(PARENT_SPAN, span.getParentSpanId());
            assertEquals("edge-a", span.getAttributes().get(AttributeKey.stringKey("un0.pool")));
            assertEquals("least-loaded", span.getAttributes().get(AttributeKey.stringKey("un0.policy")));
            assertEquals("assign", span.getAttributes().get(AttributeKey.stringKey("un0.route.kind")));
            assertTrue(traceparent.contains(span.getSpanId()), "the assignment carries the route span");

            assertEquals(1, telemetry.value("un0.scheduler.decisions", Telemetry.assigned("edge-a")));
            assertEquals(1, telemetry.value("un0.scheduler.decisions", Telemetry.assigned("gpu-b")));
            assertEquals(1, telemetry.value("un0.scheduler.live_pools", Attributes.empty()));
            assertEquals(0, telemetry.value("un0.scheduler.held", Attributes.empty()));
            assertEquals(Set.of("gpu-b"), telemetry.labelValues("un0.pool.power", "un0.pool"), "the one live pool's power");
        }
    }

    @Test
    void twoSchedulersShareTheJobsAndEachJobIsDecidedOnceThroughTheRebalance() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 100_000, 0));
        try (Telemetry telemetry = new Telemetry()) {
            scheduler(telemetry.sdk(), Duration.ofSeconds(30));
            int jobs = 300;
            for (int i = 0; i < jobs; i++) {
                send(Job.newBuilder().setJobId("shared-" + i).setCount(1).build());
                if (i == jobs / 3) {
                    // The second joins while jobs flow: the first gives partitions up mid-stream.
                    scheduler(telemetry.sdk(), Duration.ofSeconds(30));
                }
            }
            within(Duration.ofSeconds(60), () -> {
                tap.drain(Duration.ofMillis(200));
                return tap.all(MeshTopic.DECISIONS.name(), Decision.parser()).stream()
                        .map(d -> d.message().getJobId()).filter(id -> id.startsWith("shared-")).distinct().count() == jobs;
            }, () -> "not every job decided");
            tap.drain(Duration.ofSeconds(2));
            Map<String, Long> decisions = tap.all(MeshTopic.DECISIONS.name(), Decision.parser()).stream().map(d -> d.message().getJobId())
                    .filter(id -> id.startsWith("shared-")).collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            assertEquals(jobs, decisions.size());
            assertEquals(Map.of(), decisions.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no job decided twice");
        }
    }

    /**
     * Two schedulers, one pool with room for four images, and one heartbeat (not repeated, so neither learns of the
     * other's work from the pool): each counts the other's assignments from the decisions, so four of six callers'
     * jobs are assigned and two shed, whichever scheduler decides each.
     */
    @Test
    void twoSchedulersCountEachOthersAssignmentsAndDoNotFillOnePoolTwice() throws Exception {
        send(MeshTopic.HEARTBEATS.name(), null, "solo", worker("solo", "edge-s", "ES", 4, 0).toBuilder().setSent(ProtoTime.now()).build().toByteArray(), null);
        Duration liveness = Duration.ofMinutes(2);
        List<RunningScheduler> two = List.of(
                started(RunningScheduler.start(RunningScheduler.settings(kafka.bootstrapServers(), "least-loaded", liveness, Duration.ofSeconds(30)),
                        new LeastLoadedPolicy(), () -> PowerBudgets.NONE, OpenTelemetry.noop())),
                started(RunningScheduler.start(RunningScheduler.settings(kafka.bootstrapServers(), "least-loaded", liveness, Duration.ofSeconds(30)),
                        new LeastLoadedPolicy(), () -> PowerBudgets.NONE, OpenTelemetry.noop())));
        within(Duration.ofSeconds(30), this::bothSchedulersHoldJobPartitions, () -> "the two schedulers did not share the jobs topics");

        Set<String> deciders = new HashSet<>();
        int assigned = 0;
        for (int i = 0; i < 6; i++) {
            String id = "room-" + i;
            send(MeshTopic.INTERACTIVE_JOBS.name(), i % MeshTopic.INTERACTIVE_JOBS.partitions(), id, Job.newBuilder().setJobId(id).setCount(1)
                    .setPriority(Priority.PRIORITY_INTERACTIVE).setReplyTo("gateway-1").build().toByteArray(), null);
            Decision d = decision(id).message();
            deciders.add(d.getScheduler());
            if (d.getKind() == DecisionKind.DECISION_KIND_ASSIGN) {
                assigned++;
            }
            int counted = assigned;
            // Each scheduler's view counts every assignment so far before the next job comes.
            within(Duration.ofSeconds(10), () -> two.stream().allMatch(t -> t.loop().fleetNow().pools().stream()
                    .anyMatch(p -> p.pool().equals("edge-s") && p.queued() == counted)), () -> "a scheduler did not count the assignments so far");
        }
        assertEquals(2, deciders.size(), "both schedulers decided: " + deciders);
        assertEquals(4, assigned, "the pool's room, once");
    }

    private boolean bothSchedulersHoldJobPartitions() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var members = admin.describeConsumerGroups(List.of(MeshTopic.SCHEDULER_GROUP)).all().get().get(MeshTopic.SCHEDULER_GROUP).members();
            return members.size() == 2 && members.stream().allMatch(m -> m.assignment().topicPartitions().stream()
                    .anyMatch(p -> p.topic().equals(MeshTopic.INTERACTIVE_JOBS.name())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A batch's thousands of jobs written at once, then a caller's: the caller's job is decided within the scheduler's
     * first passes, not after the batch's. Counted in jobs decided before it, not in time.
     */
    @Test
    void anInteractiveJobWrittenAfterABatchBacklogIsDecidedAheadOfIt() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 100_000, 0));
        int backlog = 5_000;
        List<Future<?>> written = new ArrayList<>();
        for (int i = 0; i < backlog; i++) {
            Job job = Job.newBuilder().setJobId("backlog/" + i).setBatchId("backlog").setItemIndex(i).setCount(1).setPriority(Priority.PRIORITY_BATCH).build();
            written.add(producer.send(new ProducerRecord<>(MeshTopic.JOBS.name(), job.getJobId(), job.toByteArray())));
        }
        for (Future<?> f : written) {
            f.get();
        }
        Job caller = Job.newBuilder().setJobId("caller").setCount(1).setPriority(Priority.PRIORITY_INTERACTIVE).setReplyTo("gateway-1").build();
        send(MeshTopic.INTERACTIVE_JOBS.name(), null, caller.getJobId(), caller.toByteArray(), null);
        scheduler(OpenTelemetry.noop(), Duration.ofSeconds(30));

        Decision callers = decision("caller").message();
        assertEquals(DecisionKind.DECISION_KIND_ASSIGN, callers.getKind());
        within(Duration.ofSeconds(90), () -> {
            tap.drain(Duration.ofMillis(200));
            return tap.all(MeshTopic.DECISIONS.name(), Decision.parser()).stream().filter(d -> d.message().getJobId().startsWith("backlog/")).count() == backlog;
        }, () -> "not every backlog job decided");
        Instant decided = ProtoTime.instant(callers.getDecided());
        long before = tap.all(MeshTopic.DECISIONS.name(), Decision.parser()).stream().map(Seen::message)
                .filter(d -> d.getJobId().startsWith("backlog/") && ProtoTime.instant(d.getDecided()).isBefore(decided)).count();
        // Each pass reads at most 500 jobs; the caller's comes with the first or the pass after a full one (a fetch may
        // land a pass late), where the one jobs topic would have put it behind thousands.
        assertTrue(before <= 1_500, before + " of the backlog's " + backlog + " jobs were decided before the caller's");
    }

    @Test
    void assignmentsCarryTheMeshsOwnEnergyPerImageOnceItsProcessesReported() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 8, 0));
        Instant started = Instant.now().minusSeconds(30);
        Instant from = Instant.now().minusSeconds(10);
        Instant to = Instant.now().minusSeconds(1);
        // Over 9 s the gateway drew 9 J; the worker 20 J, of which its 100 images' results carried 10 J.
        energy(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", started, from, 0, 0, 0);
        energy(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", started, to, 9, 0, 0);
        energy(ProcessRole.PROCESS_ROLE_WORKER, "a1", started, from, 0, 0, 0);
        energy(ProcessRole.PROCESS_ROLE_WORKER, "a1", started, to, 20, 100, 10);
        scheduler(OpenTelemetry.noop(), Duration.ofSeconds(30));
        send(Job.newBuilder().setJobId("job-e").setCount(1).setQuality(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_DRAFT)).build());

        SharedEnergy shared = assignment("edge-a", "job-e").message().getShared();
        assertEquals(0.19, shared.getJoulesPerImage(), 1e-9, "(9 J + 20 J - 10 J) / 100 images");
        assertEquals(19 * 1000 / 3.6e6 / 100, shared.getGramsPerImage(), 1e-12, "no grid signal for their region: the unknown-region figure");
        assertEquals(List.of("gateway/gw (modelled)", "worker/a1 (modelled)"), shared.getProcessesList());
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, shared.getSource());
    }

    private void energy(ProcessRole role, String name, Instant started, Instant sent, double joules, long images, double served) throws Exception {
        String process = ProcessEnergyReporter.name(role, name);
        send(MeshTopic.PROCESS_ENERGY.name(), null, process, ProcessEnergy.newBuilder().setProcess(process).setRole(role)
                .setEnergy(Energy.newBuilder().setJoules(joules).setSource(EnergySource.ENERGY_SOURCE_MODELLED).setModel("test"))
                .setStarted(ProtoTime.timestamp(started)).setSent(ProtoTime.timestamp(sent)).setImages(images).setServedJoules(served)
                .build().toByteArray(), null);
    }

    @Test
    void deadLettersWhatItCannotReadWithTheReason() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 8, 0));
        send(MeshTopic.HEARTBEATS.name(), null, "junk-worker", new byte[] {0, 0, 0}, null);
        Heartbeat badPool = worker("w-bad", "Edge A", "ES", 8, 0).toBuilder().setSent(ProtoTime.now()).build();
        send(MeshTopic.HEARTBEATS.name(), null, "w-bad", badPool.toByteArray(), null);
        scheduler(OpenTelemetry.noop(), Duration.ofSeconds(30));

        send(MeshTopic.JOBS.name(), null, "junk", new byte[] {0, 0, 0}, null);
        send(MeshTopic.JOBS.name(), null, "no-id", Job.newBuilder().setCount(1).build().toByteArray(), null);
        send(Job.newBuilder().setJobId("none").setCount(0).build());
        send(Job.newBuilder().setJobId("fine").setCount(1).build());
        assignment("edge-a", "fine");

        assertDeadLetter(MeshTopic.JOBS, "junk", "not an un0.mesh.v1.Job: ");
        assertDeadLetter(MeshTopic.JOBS, "no-id", "job_id: missing");
        assertDeadLetter(MeshTopic.JOBS, "none", "count: 0 is outside 1..");
        assertDeadLetter(MeshTopic.HEARTBEATS, "junk-worker", "not an un0.mesh.v1.Heartbeat: ");
        assertDeadLetter(MeshTopic.HEARTBEATS, "w-bad", "pool: 'Edge A' cannot name an assignment topic");
        within(Duration.ofSeconds(10), () -> committedJobs().values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 4,
                () -> "every job record, routed or dead-lettered, is committed once its output is written: " + committedJobs());
    }

    private void assertDeadLetter(MeshTopic from, String key, String reasonStart) {
        DeadLetter d = tap.await(MeshTopic.DEAD_LETTERS.name(), DeadLetter.parser(),
                l -> l.getTopic().equals(from.name()) && l.getKey().toStringUtf8().equals(key)).message();
        assertTrue(d.getReason().startsWith(reasonStart), d.getReason());
        assertTrue(d.getService().startsWith("scheduler scheduler-test-"), d.getService());
        assertFalse(d.getValue().isEmpty(), "the original bytes are kept");
    }

    @Test
    void shedsAJobNobodyCanTakeAtItsDeadlineAndAnswersItsCaller() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 8, 0));
        try (Telemetry telemetry = new Telemetry()) {
            scheduler(telemetry.sdk(), Duration.ofSeconds(30));
            Instant deadline = Instant.now().plusSeconds(1);
            send(Job.newBuilder().setJobId("far-1").setBatchId("batch-9").setItemIndex(4).setCount(1).setReplyTo("gateway-7")
                    .addAllowedRegions("BR").setDeadline(ProtoTime.timestamp(deadline)).build());
            send(Job.newBuilder().setJobId("far-2").setCount(1).setReplyTo("gateway-8")
                    .addAllowedRegions("BR").setDeadline(ProtoTime.timestamp(deadline)).build());

            Seen<JobResult> item = tap.await(MeshTopic.RESULTS.name(), JobResult.parser(), r -> r.getJobId().equals("far-1"));
            assertEquals("batch-9", item.record().key(), "batch items are keyed by batch");
            assertEquals(JobStatus.JOB_STATUS_FAILED, item.message().getStatus());
            assertEquals(4, item.message().getItemIndex());
            assertEquals(FailureKind.FAILURE_KIND_UNSATISFIABLE, item.message().getFailure(), "no live pool is in a region it allows");
            assertEquals("gateway-7", item.message().getReplyTo());
            String error = item.message().getError();
            assertTrue(error.startsWith("no live pool with room could take job far-1 before its deadline (deadline " + deadline), error);
            assertTrue(error.contains("regions BR") && error.contains("edge-a (ES, fp32/int8, 8 of 8 images free)"), error);

            Seen<JobResult> single = tap.await(MeshTopic.RESULTS.name(), JobResult.parser(), r -> r.getJobId().equals("far-2"));
            assertEquals("far-2", single.record().key());
            assertEquals("gateway-8", single.message().getReplyTo());
            assertEquals(FailureKind.FAILURE_KIND_UNSATISFIABLE, single.message().getFailure());
            String now = single.message().getError();
            assertTrue(now.startsWith("no live pool with room could take job far-2 now (interactive, so not held; "), now);
            assertTrue(now.endsWith("; 1 live pool, 1 region not allowed: edge-a (ES, fp32/int8, 8 of 8 images free): region not allowed)"), now);

            Decision shed = decision("far-1").message();
            assertEquals(DecisionKind.DECISION_KIND_SHED, shed.getKind());
            assertEquals("least-loaded", shed.getPolicy());
            assertEquals(error, shed.getReason());
            assertFalse(ProtoTime.instant(shed.getDecided()).isBefore(deadline), "a batch item is held until its deadline, not shed before");
            Decision shedAtOnce = decision("far-2").message();
            assertEquals(DecisionKind.DECISION_KIND_SHED, shedAtOnce.getKind());
            assertTrue(ProtoTime.instant(shedAtOnce.getDecided()).isBefore(deadline), "whoever waits on an interactive job hears at once");

            SpanData span = telemetry.spans().stream().filter(s -> "far-1".equals(s.getAttributes().get(AttributeKey.stringKey("un0.job_id"))))
                    .findFirst().orElseThrow();
            assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
            assertEquals(error, span.getStatus().getDescription());
            assertTrue(single.header("traceparent").startsWith("00-"), "the failed result carries the trace");
            assertEquals(2, telemetry.value("un0.scheduler.decisions", Telemetry.shed("unsatisfiable")));
            within(Duration.ofSeconds(10), () -> committedJobs().values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 2,
                    () -> "shed jobs are committed once their results are written: " + committedJobs());
        }
    }

    @Test
    void heldJobsSurviveARestartFromTheDeferredTopicAndNothingIsRoutedTwice() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 8, 0));
        RunningScheduler first = scheduler(OpenTelemetry.noop(), Duration.ofSeconds(30));
        // Same partition, held job first: it goes to the deferred topic, so the commit point passes both.
        send(MeshTopic.JOBS.name(), 0, "waits", Job.newBuilder().setJobId("waits").setCount(1).addAllowedRegions("NO").build().toByteArray(), null);
        send(MeshTopic.JOBS.name(), 0, "goes", Job.newBuilder().setJobId("goes").setCount(1).addAllowedRegions("ES").build().toByteArray(), null);
        assignment("edge-a", "goes");
        first.close();
        TopicPartition p0 = new TopicPartition(MeshTopic.JOBS.name(), 0);
        assertEquals(2, committedJobs().get(p0).offset(), "committed past the held job with the pass that kept it");

        workers.beat(worker("n1", "edge-no", "NO", 8, 0));
        scheduler(OpenTelemetry.noop(), Duration.ofSeconds(30));
        assignment("edge-no", "waits");
        tap.drain(Duration.ofSeconds(2));
        assertEquals(1, tap.all(MeshTopic.assignments("edge-a").name(), Assignment.parser()).stream()
                .filter(a -> a.message().getJob().getJobId().equals("goes")).count(), "the job routed before the restart is not routed again");
        assertEquals(1, tap.all(MeshTopic.DECISIONS.name(), Decision.parser()).stream().filter(d -> d.message().getJobId().equals("waits")).count(),
                "the held job decided once, by the second scheduler");
    }

    /**
     * A pass that outlives its transaction (the broker aborts it) is aborted here too and read again: nothing it wrote
     * is seen, and each of its jobs is decided once.
     */
    @Test
    void aPassWhoseTransactionTheBrokerAbortedIsReadAgainAndNothingItWroteIsSeen() throws Exception {
        workers.beat(worker("a1", "edge-a", "ES", 100_000, 0));
        send(MeshTopic.JOBS.name(), 0, "before", Job.newBuilder().setJobId("before").setCount(1).build().toByteArray(), null);
        send(MeshTopic.JOBS.name(), 0, "slow", Job.newBuilder().setJobId("slow").setCount(1).build().toByteArray(), null);
        AtomicBoolean stalled = new AtomicBoolean();
        RoutingPolicy leastLoaded = new LeastLoadedPolicy();
        RoutingPolicy stallingOnce = (job, fleet) -> {
            if (job.jobId().equals("slow") && stalled.compareAndSet(false, true)) {
                // Past the pass's 10 s transaction timeout and the broker's 10 s sweep for timed-out transactions.
                try {
                    Thread.sleep(25_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return leastLoaded.route(job, fleet);
        };
        RunningScheduler running = started(RunningScheduler.start(RunningScheduler.settings(kafka.bootstrapServers(), "least-loaded", LIVENESS,
                Duration.ofSeconds(30)), stallingOnce, () -> PowerBudgets.NONE, OpenTelemetry.noop()));

        within(Duration.ofSeconds(60), () -> {
            tap.drain(Duration.ofMillis(200));
            return tap.all(MeshTopic.assignments("edge-a").name(), Assignment.parser()).stream().anyMatch(a -> a.message().getJob().getJobId().equals("slow"));
        }, () -> "the stalled pass's jobs were not assigned once read again");
        tap.drain(Duration.ofSeconds(2));
        assertTrue(stalled.get());
        assertEquals(Optional.empty(), running.loop().failure());
        for (String id : List.of("before", "slow")) {
            assertEquals(1, tap.all(MeshTopic.assignments("edge-a").name(), Assignment.parser()).stream()
                    .filter(a -> a.message().getJob().getJobId().equals(id)).count(), id + " assigned once");
            assertEquals(1, tap.all(MeshTopic.DECISIONS.name(), Decision.parser()).stream().filter(d -> d.message().getJobId().equals(id)).count(),
                    id + " decided once");
        }
    }

    @Test
    void aDeferredJobSurvivesARestartAndRunsAtItsHourExactlyOnce() throws Exception {
        try (Telemetry telemetry = new Telemetry()) {
            workers.beat(worker("a1", "edge-a", "ES", 8, 0));
            RunningScheduler first = carbonAware(telemetry.sdk());
            // Dirty now, clean from five seconds on: a deferrable job is worth holding until then.
            Instant greener = greenerFrom(Instant.now().plusSeconds(5));
            within(Duration.ofSeconds(10), () -> first.loop().gridNow().containsKey("ES"), () -> "the scheduler did not read the signal");
            Job job = Job.newBuilder().setJobId("night-1").setBatchId("nightly").setCount(2).setPriority(Priority.PRIORITY_DEFERRABLE)
                    .setDeadline(ProtoTime.timestamp(Instant.now().plusSeconds(60))).build();
            send(MeshTopic.JOBS.name(), 0, job.getJobId(), job.toByteArray(), "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");

            Decision deferred = decision("night-1").message();
            assertEquals(DecisionKind.DECISION_KIND_DEFER, deferred.getKind());
            assertEquals(greener, ProtoTime.instant(deferred.getHoldUntil()));
            assertEquals("edge-a", deferred.getChosen().getPool());
            assertTrue(deferred.getReason().contains("ES forecast 50 g/kWh"), deferred.getReason());
            assertEquals("", deferred.getAlternatives(0).getRejectedBecause(), "running now, feasible, is on the record");
            assertTrue(deferred.getAlternatives(0).getExpectedGramsCo2E() > deferred.getChosen().getExpectedGramsCo2E());
            Seen<Deferral> held = tap.await(MeshTopic.DEFERRED.name(), Deferral.parser(), d -> d.getJob().getJobId().equals("night-1"));
            assertEquals(0, held.record().partition(), "on the partition number its job came from");
            assertEquals(deferred.getDecisionId(), held.message().getDecisionId());
            assertEquals(job, held.message().getJob());
            TopicPartition p0 = new TopicPartition(MeshTopic.JOBS.name(), 0);
            within(Duration.ofSeconds(10), () -> committedJobs().containsKey(p0) && committedJobs().get(p0).offset() == 1,
                    () -> "the deferred topic holds the job, so its offset is committed: " + committedJobs());
            first.close();
            assertTrue(Instant.now().isBefore(greener), "the test restarts the scheduler before the job's hour");

            carbonAware(telemetry.sdk());
            Seen<Assignment> assigned = assignment("edge-a", "night-1");
            assertFalse(Instant.now().isBefore(greener), "not before its hour");
            assertEquals(job, assigned.message().getJob());
            assertTrue(assigned.header("traceparent").startsWith("00-" + TRACE_ID + "-"), "the job's trace goes on after the restart");
            tap.awaitTombstone(MeshTopic.DEFERRED.name(), "night-1");
            Decision done = tap.await(MeshTopic.DECISIONS.name(), Decision.parser(),
                    d -> d.getJobId().equals("night-1") && d.getKind() == DecisionKind.DECISION_KIND_ASSIGN).message();
            assertEquals(assigned.message().getDecisionId(), done.getDecisionId());
            tap.drain(Duration.ofSeconds(1));
            assertEquals(1, tap.all(MeshTopic.assignments("edge-a").name(), Assignment.parser()).stream()
                    .filter(a -> a.message().getJob().getJobId().equals("night-1")).count(), "assigned exactly once");
        }
    }

    @Test
    void aCancelledBatchsJobsAreDroppedUnrunHeldDeferredOrArriving() throws Exception {
        try (Telemetry telemetry = new Telemetry()) {
            workers.beat(worker("a1", "edge-a", "ES", 8, 0));
            carbonAware(telemetry.sdk());
            Instant greener = greenerFrom(Instant.now().plusSeconds(8));
            Job.Builder item = Job.newBuilder().setBatchId("nightly-2").setTenant("tenant-a").setCount(2).setPriority(Priority.PRIORITY_DEFERRABLE)
                    .setDeadline(ProtoTime.timestamp(Instant.now().plusSeconds(60)));
            within(Duration.ofSeconds(10), () -> !loops.get(0).loop().gridNow().isEmpty(), () -> "the scheduler did not read the signal");
            send(item.clone().setJobId("night-2").build());
            assertEquals(DecisionKind.DECISION_KIND_DEFER, decision("night-2").message().getKind());

            // Another tenant's cancellation of a batch of the same id is not this batch's.
            BatchSubmission cancel = BatchSubmission.newBuilder().setBatchId("nightly-2").setCancel(true).build();
            send(MeshTopic.BATCH_SUBMISSIONS.name(), null, "nightly-2", cancel.toBuilder().setTenant("tenant-b").build().toByteArray(), null);
            // The batch's own tenant cancels it in JSON, as any Kafka producer may write a submission.
            send(MeshTopic.BATCH_SUBMISSIONS.name(), null, "nightly-2",
                    "{\"batchId\": \"nightly-2\", \"tenant\": \"tenant-a\", \"cancel\": true}".getBytes(StandardCharsets.UTF_8), null);

            Decision dropped = tap.await(MeshTopic.DECISIONS.name(), Decision.parser(),
                    d -> d.getJobId().equals("night-2") && d.getKind() == DecisionKind.DECISION_KIND_CANCEL).message();
            assertTrue(dropped.getReason().contains("nightly-2"), dropped.getReason());
            tap.awaitTombstone(MeshTopic.DEFERRED.name(), "night-2");
            JobResult answered = tap.await(MeshTopic.RESULTS.name(), JobResult.parser(), r -> r.getJobId().equals("night-2")).message();
            assertEquals(FailureKind.FAILURE_KIND_CANCELLED, answered.getFailure());
            send(item.clone().setJobId("night-3").build());
            assertEquals(DecisionKind.DECISION_KIND_CANCEL, decision("night-3").message().getKind(), "a job still arriving is dropped too");

            within(Duration.ofSeconds(20), () -> Instant.now().isAfter(greener.plusSeconds(2)), () -> "waiting past the greener hour");
            tap.drain(Duration.ofSeconds(1));
            assertTrue(tap.all(MeshTopic.assignments("edge-a").name(), Assignment.parser()).stream()
                    .noneMatch(a -> a.message().getJob().getBatchId().equals("nightly-2")), "no job of the cancelled batch ran");
        }
    }

    /** ES at 500 g/kWh now and forecast at 50 from {@code greener}: a deferrable job is worth holding until then. */
    private Instant greenerFrom(Instant greener) throws Exception {
        GridIntensity es = GridIntensity.newBuilder().setRegion("ES").setGramsPerKwh(500).setSource("test").setObserved(ProtoTime.now())
                .addForecast(ForecastPoint.newBuilder().setFrom(ProtoTime.timestamp(greener)).setLength(ProtoTime.duration(Duration.ofHours(1)))
                        .setGramsPerKwh(50))
                .build();
        send(MeshTopic.GRID_SIGNALS.name(), null, "ES", es.toByteArray(), null);
        return greener;
    }

    private RunningScheduler carbonAware(OpenTelemetry otel) {
        CarbonAwarePolicy.Settings d = CarbonAwarePolicy.Settings.DEFAULT;
        // Released a second before the deadline rather than an hour: the test's window is a minute.
        CarbonAwarePolicy.Settings settings = new CarbonAwarePolicy.Settings(d.unknownGramsPerKwh(), d.minDeferralSaving(), Duration.ofSeconds(1),
                d.interactiveQueueSeconds(), d.batchQueueSeconds(), d.alternatives(), d.rejections());
        return started(RunningScheduler.start(RunningScheduler.settings(kafka.bootstrapServers(), "carbon-aware", LIVENESS, Duration.ofSeconds(30)),
                new CarbonAwarePolicy(settings), () -> PowerBudgets.NONE, otel));
    }

    private Map<TopicPartition, OffsetAndMetadata> committedJobs() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets("un0-scheduler").partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}

package io.un0.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.un0.broker.LocalKafka;
import io.un0.energy.ModelledCpuPower;
import io.un0.engine.EngineOptions;
import io.un0.engine.Un0Engine;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshTopics;
import io.un0.model.ModelPackage;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.SharedEnergy;
import io.un0.proto.v1.Boundary;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.DeadLetter;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Timings;
import io.un0.vocabulary.CpuEnergyModel;
import io.un0.vocabulary.GridIntensity;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker against a real broker: results for good assignments, dead letters for bad ones, offsets committed after. */
class WorkerLoopIT {

    private static final String POOL = "edge-test";
    private static final GridIntensity GRID = GridIntensity.of(200, "test");

    @Test
    void servesAssignmentsAndDeadLettersTheRest(@TempDir Path data) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(data, 0, 0);
             Un0Engine fp32 = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1));
             Un0Engine int8 = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_INT8), EngineOptions.cpu(1))) {
            meshTopics(kafka);
            WorkerSettings settings = new WorkerSettings("w1", POOL, "site-a", "ES", KafkaAccess.plain(kafka.bootstrapServers()), 32,
                    Duration.ofMillis(200), Duration.ofMillis(500), 256);
            RunningWorker worker = RunningWorker.start(settings, Map.of(Precision.PRECISION_FP32, fp32, Precision.PRECISION_INT8, int8));

            String topic = MeshTopic.assignments(POOL).name();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, "job-1", assignment("job-1", "", 7, 3, Precision.PRECISION_FP32, 1))).get();
                // uint32 class ids of 2^32 - 1 and 2^31 (negative as Java ints) arrive with job-1: they fail alone, job-1 does not.
                producer.send(new ProducerRecord<>(topic, "job-4", assignment("job-4", "", -1, 1, Precision.PRECISION_FP32, 1))).get();
                producer.send(new ProducerRecord<>(topic, "job-5", assignment("job-5", "", Integer.MIN_VALUE, 1, Precision.PRECISION_FP32, 1))).get();
                // The scheduler routed job-2 by Norway's signal: its gCO2e follows that, not the worker's declared figure.
                // Accepted 1 s ago, taken up by the scheduler 0.3 s later and decided 0.2 s after that.
                Instant accepted = Instant.now().minusSeconds(1);
                Assignment.Builder job2 = Assignment.parseFrom(assignment("job-2", "batch-1", 8, 2, Precision.PRECISION_INT8, 2)).toBuilder();
                job2.getJobBuilder().setAccepted(ProtoTime.timestamp(accepted));
                byte[] withSignal = job2.setDecided(ProtoTime.timestamp(accepted.plusMillis(500))).setHeld(ProtoTime.duration(Duration.ofMillis(200)))
                        .setGrid(Carbon.newBuilder().setRegion("NO").setIntensityGPerKwh(30).setSignalSource("test signal").setSignalStale(true))
                        // What the mesh's own processes drew per image, as the scheduler measured it.
                        .setShared(SharedEnergy.newBuilder().setJoulesPerImage(0.5).setGramsPerImage(0.01)
                                .setSource(EnergySource.ENERGY_SOURCE_MEASURED_RAPL).setModel("test share")
                                .addProcesses("gateway/gw (RAPL)").addProcesses("worker/w1 (modelled)").setWindow(ProtoTime.duration(Duration.ofMinutes(1))))
                        .build().toByteArray();
                producer.send(new ProducerRecord<>(topic, "job-2", withSignal)).get();
                producer.send(new ProducerRecord<>(topic, "junk", new byte[] {0, 0, 0})).get();
                producer.send(new ProducerRecord<>(topic, "job-3", assignment("job-3", "", 1, 1, Precision.PRECISION_FP32, 3))).get();
            }

            Map<String, JobResult> results = new HashMap<>();
            List<DeadLetter> deadLetters = new ArrayList<>();
            List<Heartbeat> heartbeats = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "observer",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(MeshTopic.RESULTS.name(), MeshTopic.DEAD_LETTERS.name(), MeshTopic.HEARTBEATS.name()));
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ((results.size() < 5 || deadLetters.size() < 4 || heartbeats.stream().noneMatch(h -> h.getCostsCount() > 0)) && System.nanoTime() < until) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.topic().equals(MeshTopic.RESULTS.name())) {
                            JobResult result = JobResult.parseFrom(r.value());
                            results.put(result.getJobId(), result);
                        } else if (r.topic().equals(MeshTopic.DEAD_LETTERS.name())) {
                            deadLetters.add(DeadLetter.parseFrom(r.value()));
                        } else {
                            heartbeats.add(Heartbeat.parseFrom(r.value()));
                        }
                    }
                }
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                // The last batch's offsets are committed once its writes are acknowledged, also while no next batch comes.
                long committed = 0;
                for (long until = System.nanoTime() + Duration.ofSeconds(20).toNanos(); committed < 6 && System.nanoTime() < until; Thread.sleep(100)) {
                    committed = admin.listConsumerGroupOffsets(settings.consumerGroup()).partitionsToOffsetAndMetadata().get()
                            .values().stream().mapToLong(o -> o.offset()).sum();
                }
                assertEquals(6, committed, "every record, served or dead-lettered, is committed once its output is written");
            }
            worker.close();
            assertEquals(5, worker.loop().served().images(), "job-1's 3 images and job-2's 2; refused jobs serve none");

            JobResult first = results.get("job-1");
            assertEquals(3, first.getPngCount());
            assertEquals(28, ImageIO.read(new ByteArrayInputStream(first.getPng(0).toByteArray())).getWidth());
            assertEquals(List.of(100L, 101L, 102L), first.getSeedsList());
            assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, first.getAccounting().getEnergy().getSource());
            assertTrue(first.getAccounting().getEnergy().getJoules() > 0);
            assertEquals("CPU", first.getAccounting().getExecutionProvider());
            JobResult second = results.get("job-2");
            assertEquals(2, second.getPngCount());
            assertEquals("batch-1", second.getBatchId());
            assertEquals(Precision.PRECISION_INT8, second.getAccounting().getPrecision());
            Timings timings = second.getAccounting().getTimings();
            assertEquals(Duration.ofMillis(300), ProtoTime.duration(timings.getScheduling()), "accepted to taken up");
            assertTrue(ProtoTime.duration(timings.getQueued()).compareTo(Duration.ofMillis(700)) >= 0, "taken up to inference: " + timings);
            assertFalse(first.getAccounting().getTimings().hasScheduling(), "no decision time sent: none made up");
            Carbon routedBy = second.getAccounting().getCarbon();
            assertEquals("NO", routedBy.getRegion());
            assertEquals("test signal", routedBy.getSignalSource());
            assertTrue(routedBy.getSignalStale());
            assertEquals(second.getAccounting().getEnergy().getJoules() / 3.6e6 * 30, routedBy.getGramsCo2E(), 1e-15);
            Boundary whole = second.getAccounting().getBoundary();
            assertEquals(second.getAccounting().getEnergy().getJoules() + 2 * 0.5, whole.getEnergy().getJoules(), 1e-12,
                    "the job's own joules plus its 2 images' share of the mesh's");
            assertEquals(routedBy.getGramsCo2E() + 2 * 0.01, whole.getGramsCo2E(), 1e-12);
            assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, whole.getEnergy().getSource(), "the weaker of the worker's (modelled) and the share's");
            assertEquals(List.of("gateway/gw (RAPL)", "worker/w1 (modelled)"), whole.getProcessesList());
            assertFalse(first.getAccounting().hasBoundary(), "no share sent: no whole-boundary figure made up");
            assertEquals(first.getAccounting().getEnergy().getJoules() + second.getAccounting().getEnergy().getJoules(), worker.loop().served().joules(), 1e-12);
            Carbon declared = first.getAccounting().getCarbon();
            assertEquals("ES", declared.getRegion(), "no signal sent: the worker's own region and declared figure");
            assertEquals(first.getAccounting().getEnergy().getJoules() / 3.6e6 * 200, declared.getGramsCo2E(), 1e-15);

            assertEquals(4, deadLetters.size());
            for (String bad : List.of("job-4:4294967295", "job-5:2147483648")) {
                JobResult outOfRange = results.get(bad.split(":")[0]);
                assertEquals(FailureKind.FAILURE_KIND_REJECTED, outOfRange.getFailure());
                assertEquals("job.class_id: " + bad.split(":")[1] + " is outside 0..9", outOfRange.getError());
            }
            assertTrue(deadLetters.stream().anyMatch(d -> d.getReason().startsWith("not an un0.mesh.v1.Assignment")), deadLetters.toString());
            assertTrue(deadLetters.stream().anyMatch(d -> d.getReason().startsWith("steps: 3")), deadLetters.toString());
            JobResult refused = results.get("job-3");
            assertEquals(JobStatus.JOB_STATUS_FAILED, refused.getStatus(), "the caller hears why at once");
            assertEquals(FailureKind.FAILURE_KIND_REJECTED, refused.getFailure());
            assertTrue(refused.getError().startsWith("steps: 3"), refused.getError());
            assertTrue(deadLetters.stream().allMatch(d -> d.getTopic().equals(topic) && !d.getValue().isEmpty()));
            assertEquals("w1", heartbeats.get(0).getWorker());
            Heartbeat measured = heartbeats.stream().filter(h -> h.getCostsCount() > 0).findFirst().orElseThrow();
            assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, measured.getPowerSource());
            assertTrue(measured.getCostsList().stream().anyMatch(c -> c.getPrecision() == Precision.PRECISION_FP32 && c.getSteps() == 1
                    && c.getSecondsPerImage() > 0 && c.getEnergyPerImage().getJoules() > 0), measured.getCostsList().toString());
        }
    }

    @Test
    void jobsOfAWorkerThatDiesMidBatchFinishOnAnotherOne(@TempDir Path data) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(data, 0, 0);
             Un0Engine healthy = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1))) {
            meshTopics(kafka);
            // The doomed worker's engine is closed: its first batch throws inside the engine, before any result
            // is written or any offset committed, and its loop dies as a crashed process would.
            Un0Engine broken = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1));
            broken.close();
            ModelledCpuPower energy = new ModelledCpuPower(CpuEnergyModel.declared(CpuEnergyModel.DEFAULT_WATTS_PER_CORE));
            WorkerLoop doomed = new WorkerLoop(settings(kafka, "doomed"), Map.of(Precision.PRECISION_FP32, broken), energy, GRID, OpenTelemetry.noop());
            Thread doomedThread = new Thread(doomed, "doomed");
            doomedThread.setUncaughtExceptionHandler((t, e) -> { });
            doomedThread.start();

            String topic = MeshTopic.assignments(POOL).name();
            int jobs = 12;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (int j = 0; j < jobs; j++) {
                    producer.send(new ProducerRecord<>(topic, "job-" + j, assignment("job-" + j, "", j % 10, 2, Precision.PRECISION_FP32, 1))).get();
                }
            }
            doomedThread.join(30_000);
            assertTrue(!doomedThread.isAlive(), "the doomed worker died on its batch");

            WorkerLoop survivor = new WorkerLoop(settings(kafka, "survivor"), Map.of(Precision.PRECISION_FP32, healthy), energy, GRID, OpenTelemetry.noop());
            Thread survivorThread = new Thread(survivor, "survivor");
            survivorThread.start();
            Map<String, Integer> seen = new HashMap<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "observer",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(MeshTopic.RESULTS.name()));
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (seen.size() < jobs && System.nanoTime() < until) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        JobResult result = JobResult.parseFrom(r.value());
                        assertEquals("survivor", result.getAccounting().getWorker());
                        seen.merge(result.getJobId(), 1, Integer::sum);
                    }
                }
            }
            survivor.close();
            survivorThread.join(10_000);
            assertEquals(jobs, seen.size(), "every job finished on the surviving worker: " + seen.keySet());
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no job was delivered twice: " + seen);
        }
    }

    @Test
    void anInteractiveJobIsNotHeldBackToWaitForCompany(@TempDir Path data) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(data, 0, 0);
             Un0Engine int8 = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_INT8), EngineOptions.cpu(1))) {
            meshTopics(kafka);
            // A batch would wait a minute for company here; an interactive job must not.
            WorkerSettings settings = new WorkerSettings("w1", POOL, "site-a", "ES", KafkaAccess.plain(kafka.bootstrapServers()), 32,
                    Duration.ofSeconds(60), Duration.ofMillis(500), 256);
            RunningWorker worker = RunningWorker.start(settings, Map.of(Precision.PRECISION_INT8, int8));
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
                 KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                         ConsumerConfig.GROUP_ID_CONFIG, "observer", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                         new StringDeserializer(), new ByteArrayDeserializer())) {
                Assignment.Builder interactive = Assignment.parseFrom(assignment("job-i", "", 4, 1, Precision.PRECISION_INT8, 1)).toBuilder();
                interactive.getJobBuilder().setPriority(Priority.PRIORITY_INTERACTIVE);
                producer.send(new ProducerRecord<>(MeshTopic.assignments(POOL, Priority.PRIORITY_INTERACTIVE).name(), "job-i", interactive.build().toByteArray())).get();
                results.subscribe(List.of(MeshTopic.RESULTS.name()));
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                JobResult answered = null;
                while (answered == null && System.nanoTime() < until) {
                    for (var r : results.poll(Duration.ofMillis(500))) {
                        answered = JobResult.parseFrom(r.value());
                    }
                }
                assertTrue(answered != null && answered.getJobId().equals("job-i"), "answered within half the batching wait: " + answered);
            } finally {
                worker.close();
            }
        }
    }

    @Test
    void anInteractiveJobOvertakesTheQueuedBacklog(@TempDir Path data) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(data, 0, 0);
             Un0Engine fp32 = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1))) {
            meshTopics(kafka);
            int backlog = 120;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (int j = 0; j < backlog; j++) {
                    producer.send(new ProducerRecord<>(MeshTopic.assignments(POOL).name(), "queued-" + j,
                            assignment("queued-" + j, "batch-1", j % 10, 2, Precision.PRECISION_FP32, 1)));
                }
                Assignment.Builder interactive = Assignment.parseFrom(assignment("job-i", "", 4, 1, Precision.PRECISION_FP32, 1)).toBuilder();
                interactive.getJobBuilder().setPriority(Priority.PRIORITY_INTERACTIVE);
                producer.send(new ProducerRecord<>(MeshTopic.assignments(POOL, Priority.PRIORITY_INTERACTIVE).name(), "job-i",
                        interactive.build().toByteArray())).get();
            }
            // The whole backlog is on the broker before the worker starts, the interactive job written last: one run
            // of at most four images at a time, a single queue would serve it after most of the batch jobs.
            WorkerSettings settings = new WorkerSettings("w1", POOL, "site-a", "ES", KafkaAccess.plain(kafka.bootstrapServers()), 4,
                    Duration.ofMillis(50), Duration.ofSeconds(1), 4);
            RunningWorker worker = RunningWorker.start(settings, Map.of(Precision.PRECISION_FP32, fp32));
            Map<String, Long> writtenAt = new HashMap<>();
            try (KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "observer", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                results.subscribe(List.of(MeshTopic.RESULTS.name()));
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (writtenAt.size() < backlog + 1 && System.nanoTime() < until) {
                    for (var r : results.poll(Duration.ofMillis(500))) {
                        writtenAt.put(JobResult.parseFrom(r.value()).getJobId(), r.timestamp());
                    }
                }
            } finally {
                worker.close();
            }
            assertEquals(backlog + 1, writtenAt.size(), "every job answered: " + writtenAt.keySet());
            long answered = writtenAt.get("job-i");
            long after = writtenAt.entrySet().stream().filter(e -> e.getKey().startsWith("queued-") && e.getValue() > answered).count();
            // Served within the first engine runs (a poll may bring queued work before the interactive lane is read);
            // on one queue it would come after about half of them.
            assertTrue(after >= backlog * 3 / 4, "only " + after + " of " + backlog + " queued jobs were answered after the interactive one");
        }
    }

    /** A worker on a thread of its own, drawing as modelled; closing it waits for its loop to stop. */
    private record RunningWorker(WorkerLoop loop, Thread thread) implements AutoCloseable {

        static RunningWorker start(WorkerSettings settings, Map<Precision, Un0Engine> engines) {
            WorkerLoop loop = new WorkerLoop(settings, engines, new ModelledCpuPower(CpuEnergyModel.declared(CpuEnergyModel.DEFAULT_WATTS_PER_CORE)),
                    GRID, OpenTelemetry.noop());
            Thread thread = new Thread(loop, "worker");
            thread.start();
            return new RunningWorker(loop, thread);
        }

        @Override
        public void close() throws InterruptedException {
            loop.close();
            thread.join(10_000);
        }
    }

    /** Every topic of the mesh, and the test pool's assignment lanes. */
    private static void meshTopics(LocalKafka kafka) {
        List<MeshTopic> topics = new ArrayList<>(MeshTopic.FIXED);
        topics.addAll(MeshTopic.assignmentLanes(POOL));
        MeshTopics.create(kafka.bootstrapServers(), topics);
    }

    private static WorkerSettings settings(LocalKafka kafka, String worker) {
        return new WorkerSettings(worker, POOL, "site-a", "ES", KafkaAccess.plain(kafka.bootstrapServers()), 32, Duration.ofMillis(200), Duration.ofSeconds(1), 256);
    }

    private static byte[] assignment(String id, String batch, int classId, int count, Precision precision, int steps) {
        return Assignment.newBuilder().setPool(POOL).setPrecision(precision).setSteps(steps)
                .setJob(Job.newBuilder().setJobId(id).setBatchId(batch).setClassId(classId).setCount(count).setSeed(100))
                .build().toByteArray();
    }
}

package io.un0.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.trace.v1.Span;
import io.un0.deploy.mesh.BearerToken;
import io.un0.deploy.mesh.LocalCredentials.Caller;
import io.un0.deploy.mesh.LocalCredentials.KafkaPrincipal;
import io.un0.deploy.mesh.LocalMesh;
import io.un0.deploy.mesh.MeshChannels;
import io.un0.deploy.mesh.MeshOptions;
import io.un0.deploy.mesh.ServiceProcess;
import io.un0.deploy.report.FleetReports;
import io.un0.deploy.report.ReportFiles;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Batch;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.ClearBudgetRequest;
import io.un0.proto.v1.DeadLetter;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.FleetGrpc;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.GeneratorGrpc;
import io.un0.proto.v1.GetBatchRequest;
import io.un0.proto.v1.GridSignalBasis;
import io.un0.proto.v1.Image;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.ListBudgetsRequest;
import io.un0.proto.v1.ListPoolsRequest;
import io.un0.proto.v1.ListPoolsResponse;
import io.un0.proto.v1.PoolStatus;
import io.un0.proto.v1.PowerBudget;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.SetBudgetRequest;
import io.un0.proto.v1.SubmitBatchRequest;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole mesh as users run it: a real broker, the scheduler, two edge workers and the gateway, each its own
 * process started from its packaged build, telemetry going to a real OTLP receiver inside the test. Every call goes
 * over TLS as tenant-a (its bearer token) unless a test says otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshIT {

    private OtlpReceiver otlp;
    private final FreePorts ports = new FreePorts();
    private LocalMesh mesh;
    private ManagedChannel channel;
    private Path data;
    private Instant started;

    @BeforeAll
    void start() throws Exception {
        Path home = Path.of(System.getProperty("un0.home", "..")).toAbsolutePath().normalize();
        started = Instant.now();
        data = Files.createTempDirectory("un0-mesh-it");
        otlp = new OtlpReceiver();
        // Export at once, so the test need not wait for the default five-second batches.
        Map<String, String> telemetry = Map.of("quarkus.otel.bsp.schedule.delay", "100ms", "quarkus.otel.metric.export.interval", "1s");
        // Two gateways and two edge workers: the second of each listens on the port after the first's.
        mesh = LocalMesh.start(new MeshOptions(home, data, 0, 0, 1, false, ports.run(2), ports.run(2), 2, 1, ports.one(), ports.one(), ports.run(2), 2, false, 300, "test",
                Optional.of(otlp.endpoint()), telemetry, MeshOptions.JVM_FLAGS));
        channel = MeshChannels.withToken(mesh.credentials(), mesh.service("gateway").ports().grpc(), Caller.TENANT_A);
    }

    @AfterAll
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (mesh != null) {
            mesh.close();
        }
        if (otlp != null) {
            otlp.close();
        }
    }

    @Test
    @Order(1)
    void generateReturnsDecodablePngsOfTheRequestedCountAndClass() throws IOException {
        GenerateResponse r = generator().generate(GenerateRequest.newBuilder().setClassName("sneaker").setCount(5).setSeed(11).build());
        assertEquals(5, r.getImagesCount());
        for (Image image : r.getImagesList()) {
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.getPng().toByteArray()));
            assertEquals(28, png.getWidth());
            assertEquals(7, image.getClassId());
            assertEquals(11 + image.getIndex(), image.getSeed());
        }
        assertEquals(LocalMesh.EDGE_POOL, r.getAccounting().getPool());
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, r.getAccounting().getEnergy().getSource());
        assertTrue(r.getAccounting().getEnergy().getJoules() > 0);
        assertEquals(300, r.getAccounting().getCarbon().getIntensityGPerKwh());
        // The policy may pick either precision by its measured costs, and fp32 and int8 draw slightly different pixels:
        // the same seed at the same precision is the same image, whichever worker of this machine serves it (int8
        // kernels differ by CPU, so this is a promise within one kind of CPU, never across).
        GenerateRequest int8 = GenerateRequest.newBuilder().setClassName("sneaker").setCount(5).setSeed(11)
                .setQuality(Quality.newBuilder().addAllowedPrecisions(Precision.PRECISION_INT8)).build();
        GenerateResponse once = generator().generate(int8);
        GenerateResponse again = generator().generate(int8);
        assertEquals(Precision.PRECISION_INT8, again.getAccounting().getPrecision());
        assertEquals(once.getImages(3).getPng(), again.getImages(3).getPng(), "a seed draws the same image whichever worker serves it");
    }

    @Test
    @Order(2)
    void twoGatewaysEachAnswerTheirOwnCallers() throws Exception {
        ManagedChannel second = MeshChannels.withToken(mesh.credentials(), mesh.service("gateway-2").ports().grpc(), Caller.TENANT_A);
        try {
            List<java.util.concurrent.Future<GenerateResponse>> calls = new ArrayList<>();
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
            for (int i = 0; i < 16; i++) {
                ManagedChannel via = i % 2 == 0 ? channel : second;
                int classId = i % 10;
                long seed = 500 + i;
                calls.add(callers.submit(() -> GeneratorGrpc.newBlockingStub(via).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .generate(GenerateRequest.newBuilder().setClassId(classId).setCount(2).setSeed(seed).build())));
            }
            for (int i = 0; i < calls.size(); i++) {
                GenerateResponse r = calls.get(i).get(90, TimeUnit.SECONDS);
                assertEquals(2, r.getImagesCount());
                assertEquals(i % 10, r.getImages(0).getClassId(), "each caller gets its own job's images");
                assertEquals(500 + i, r.getImages(0).getSeed());
            }
            callers.shutdown();
        } finally {
            second.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void badGrpcInputGetsTheRightStatus() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> generator().generate(GenerateRequest.newBuilder().setClassId(12).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("class_id:"), e.getStatus().getDescription());
    }

    @Test
    @Order(2)
    void callersAreKnownByTokenOrClientCertificateAndOnlyOperatorsSetBudgets() throws Exception {
        int gatewayPort = mesh.service("gateway").ports().grpc();
        GenerateRequest oneImage = GenerateRequest.newBuilder().setClassName("sneaker").setCount(1).setSeed(5).build();
        ManagedChannel anonymous = MeshChannels.anonymous(mesh.credentials(), gatewayPort);
        ManagedChannel byCertificate = MeshChannels.withClientCertificate(mesh.credentials(), gatewayPort);
        ManagedChannel scheduler = MeshChannels.anonymous(mesh.credentials(), mesh.service("scheduler").ports().grpc());
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> GeneratorGrpc.newBlockingStub(anonymous).withDeadlineAfter(60, TimeUnit.SECONDS).generate(oneImage));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), refused.getStatus().toString());

            assertEquals(1, GeneratorGrpc.newBlockingStub(byCertificate).withDeadlineAfter(60, TimeUnit.SECONDS).generate(oneImage).getImagesCount(),
                    "tenant-a's client certificate alone is enough");

            FleetGrpc.FleetBlockingStub asTenant = FleetGrpc.newBlockingStub(scheduler).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .withCallCredentials(BearerToken.read(mesh.credentials().token(Caller.TENANT_A)));
            StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                    () -> asTenant.setBudget(SetBudgetRequest.newBuilder().setScope(BudgetScope.BUDGET_SCOPE_POOL).setName(LocalMesh.EDGE_POOL)
                            .setWatts(1_000).setReason("a tenant may not").build()));
            assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), denied.getStatus().toString());

            ListPoolsResponse pools = FleetGrpc.newBlockingStub(scheduler).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .withCallCredentials(BearerToken.read(mesh.credentials().token(Caller.OPERATOR)))
                    .listPools(ListPoolsRequest.getDefaultInstance());
            assertTrue(pools.getPoolsList().stream().anyMatch(p -> p.getPool().equals(LocalMesh.EDGE_POOL)), pools.toString());
        } finally {
            anonymous.shutdownNow();
            byCertificate.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void aBatchFromAPlainKafkaProducerCompletesWithResultsOnTheResultsTopic() throws Exception {
        // A trusted producer names the tenant whose batch it is; the test's gRPC channel is that tenant's.
        BatchSubmission s = BatchSubmission.newBuilder().setBatchId("kafka-batch-1").setTenant(Caller.TENANT_A.tenant())
                .addItems(BatchItem.newBuilder().setClassName("bag").setCount(4))
                .addItems(BatchItem.newBuilder().setClassId(3).setCount(2))
                .addItems(BatchItem.newBuilder().setClassName("coat").setCount(8)).build();
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(mesh.kafkaAs(KafkaPrincipal.TENANT_A_SUBMITTER), "it-producer", Duration.ofSeconds(10))) {
            producer.send(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), s.getBatchId(), s.toByteArray())).get();
        }
        List<JobResult> results = new ArrayList<>();
        read(MeshTopic.RESULTS, r -> "kafka-batch-1".equals(r.key()), 3, Duration.ofSeconds(60))
                .forEach(r -> results.add(parse(r, JobResult::parseFrom)));
        assertEquals(Set.of(0, 1, 2), results.stream().map(r -> r.getItemIndex()).collect(Collectors.toSet()));
        assertEquals(14, results.stream().mapToInt(JobResult::getPngCount).sum());

        List<BatchEvent> events = watch("kafka-batch-1");
        Batch last = events.get(events.size() - 1).getBatch();
        assertEquals(BatchState.BATCH_STATE_SUCCEEDED, last.getState());
        assertEquals(3, last.getDoneItems());
    }

    @Test
    @Order(4)
    void malformedRecordsLandInTheDeadLetterTopicWithAReason() throws Exception {
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(mesh.kafkaAs(KafkaPrincipal.ADMIN), "it-junk", Duration.ofSeconds(10))) {
            for (MeshTopic t : List.of(MeshTopic.JOBS, MeshTopic.INTERACTIVE_JOBS, MeshTopic.BATCH_SUBMISSIONS, MeshTopic.assignments(LocalMesh.EDGE_POOL))) {
                producer.send(new ProducerRecord<>(t.name(), "junk-" + t.name(), new byte[] {(byte) 0xff, 0x00, 0x13})).get();
            }
        }
        List<DeadLetter> letters = read(MeshTopic.DEAD_LETTERS, r -> r.key() != null && r.key().startsWith("junk-"), 4, Duration.ofSeconds(60))
                .stream().map(r -> parse(r, DeadLetter::parseFrom)).toList();
        assertEquals(Set.of(MeshTopic.JOBS.name(), MeshTopic.INTERACTIVE_JOBS.name(), MeshTopic.BATCH_SUBMISSIONS.name(), MeshTopic.assignments(LocalMesh.EDGE_POOL).name()),
                letters.stream().map(DeadLetter::getTopic).collect(Collectors.toSet()));
        for (DeadLetter d : letters) {
            assertTrue(d.getReason().matches("(?s)not an un0\\.(mesh\\.)?v1\\.\\w+: .*"), d.getReason());
            assertEquals(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x00, 0x13}), d.getValue());
            assertTrue(!d.getService().isBlank());
        }
    }

    @Test
    @Order(5)
    void oneRequestIsOneTraceFromTheGatewayToAWorkerUnderALeaseAndThroughTheSchedulerOtherwise() throws Exception {
        // Once the gateway holds a lease (its energy reports reach the scheduler within seconds), a call of one image at
        // the default quality is assigned by the gateway under it: its trace names the lease instead of a scheduler pass.
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<OtlpReceiver.ServiceSpan> trace;
        Span result;
        do {
            GenerateResponse r = generator().generate(GenerateRequest.newBuilder().setClassName("dress").setCount(1).build());
            result = await(() -> otlp.spans().stream().map(OtlpReceiver.ServiceSpan::span).filter(s -> s.getName().equals("un0.gateway.result")
                    && s.getAttributesList().stream().anyMatch(a -> a.getValue().getStringValue().equals(r.getJobId()))).findFirst());
            Span answered = result;
            trace = await(() -> {
                List<OtlpReceiver.ServiceSpan> t = otlp.spans().stream().filter(s -> s.span().getTraceId().equals(answered.getTraceId())).toList();
                Set<String> names = t.stream().map(s -> s.span().getName()).collect(Collectors.toSet());
                return names.contains("un0.worker.generate") && (names.contains("un0.scheduler.route") || names.contains("un0.gateway.lease"))
                        ? Optional.of(t) : Optional.empty();
            });
        } while (trace.stream().noneMatch(s -> s.span().getName().equals("un0.gateway.lease")) && System.nanoTime() < until);
        Span worker = named(trace, "un0.worker.generate");
        Span lease = named(trace, "un0.gateway.lease");
        assertEquals(worker.getSpanId(), result.getParentSpanId(), "the gateway's result span follows the worker's");
        assertEquals(lease.getSpanId(), worker.getParentSpanId(), "the worker's span follows the decision under the lease");
        Set<ByteString> ids = trace.stream().map(s -> s.span().getSpanId()).collect(Collectors.toSet());
        assertTrue(ids.contains(lease.getParentSpanId()), "the lease's span follows the gateway's span of the call");
        assertTrue(lease.getAttributesList().stream().anyMatch(a -> a.getKey().equals("un0.scheduler") && !a.getValue().getStringValue().isEmpty()),
                "the decision names the scheduler whose lease it applied");
        assertEquals(Set.of("un0-gateway", "un0-worker-edge"),
                trace.stream().map(OtlpReceiver.ServiceSpan::service).collect(Collectors.toSet()),
                "trace " + HexFormat.of().formatHex(result.getTraceId().toByteArray()));
        // A call the lease was not decided for (two images) still goes through a scheduler: one trace across all three.
        GenerateResponse two = generator().generate(GenerateRequest.newBuilder().setClassName("dress").setCount(2).build());
        Span twoResult = await(() -> otlp.spans().stream().map(OtlpReceiver.ServiceSpan::span).filter(s -> s.getName().equals("un0.gateway.result")
                && s.getAttributesList().stream().anyMatch(a -> a.getValue().getStringValue().equals(two.getJobId()))).findFirst());
        List<OtlpReceiver.ServiceSpan> routed = await(() -> {
            List<OtlpReceiver.ServiceSpan> t = otlp.spans().stream().filter(s -> s.span().getTraceId().equals(twoResult.getTraceId())).toList();
            return t.stream().map(s -> s.span().getName()).collect(Collectors.toSet())
                    .containsAll(Set.of("un0.scheduler.route", "un0.worker.generate")) ? Optional.of(t) : Optional.empty();
        });
        Span route = named(routed, "un0.scheduler.route");
        assertEquals(route.getSpanId(), named(routed, "un0.worker.generate").getParentSpanId(), "the worker's span follows the scheduler's");
        assertTrue(routed.stream().map(s -> s.span().getSpanId()).collect(Collectors.toSet()).contains(route.getParentSpanId()),
                "the scheduler's span follows a gateway span of the same trace");
        assertEquals(Set.of("un0-gateway", "un0-scheduler", "un0-worker-edge"),
                routed.stream().map(OtlpReceiver.ServiceSpan::service).collect(Collectors.toSet()));
        await(() -> otlp.metricNames().containsAll(Set.of("un0.gateway.requests", "un0.gateway.request.duration",
                "un0.scheduler.decisions", "un0.worker.batch.images", "un0.worker.queue.depth")) ? Optional.of(true) : Optional.empty());
    }

    @Test
    @Order(5)
    void answersCarryTheWholeMeshsEnergyBesideTheWorkersOnceItsProcessesReported() throws Exception {
        // The processes report every 2 s and the scheduler shares over the images served since: by now, or soon, a
        // share exists, and every answer after that carries it.
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        GenerateResponse r = generator().generate(GenerateRequest.newBuilder().setClassName("bag").setCount(2).build());
        while (!r.getAccounting().hasBoundary() && System.nanoTime() < until) {
            Thread.sleep(500);
            r = generator().generate(GenerateRequest.newBuilder().setClassName("bag").setCount(2).build());
        }
        assertTrue(r.getAccounting().hasBoundary(), "no whole-boundary figure within 30 s: " + r.getAccounting());
        var boundary = r.getAccounting().getBoundary();
        assertTrue(boundary.getEnergy().getJoules() > r.getAccounting().getEnergy().getJoules(),
                "the whole mesh costs more than the engine run: " + boundary.getEnergy().getJoules() + " J");
        assertTrue(boundary.getGramsCo2E() > r.getAccounting().getCarbon().getGramsCo2E());
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, boundary.getEnergy().getSource(), "no RAPL on the build machines: said so");
        for (String role : List.of("broker/", "gateway/", "scheduler/", "worker/edge-1", "worker/edge-2")) {
            assertTrue(boundary.getProcessesList().stream().anyMatch(p -> p.startsWith(role)), role + " inside the boundary: " + boundary.getProcessesList());
        }
    }

    /**
     * Issue 14: a real Prometheus scrapes every service's {@code /q/metrics} with the shipped rules loaded, and the
     * series an operator charts come back through its query API: energy in joules by pool and source, grams of CO2e
     * by tenant, pool power against its budget, the grid signal, routing decisions, dead letters.
     */
    @Test
    @Order(5)
    void prometheusScrapesEveryServiceAndTheShippedRulesEvaluate() throws Exception {
        Optional<Path> binary = PrometheusServer.binary();
        Assumptions.assumeTrue(binary.isPresent(), "skipped: no Prometheus at /usr/bin/prometheus (scripts/setup.sh installs Debian's)");
        Path rules = Path.of(System.getProperty("un0.home", "..")).toAbsolutePath().normalize().resolve("deploy/prometheus/un0-rules.yml");
        Map<String, List<String>> jobs = mesh.services().stream().collect(Collectors.groupingBy(
                s -> s.name().replaceAll("-\\d+$", ""), Collectors.mapping(s -> "127.0.0.1:" + s.ports().http(), Collectors.toList())));
        Path dir = Files.createTempDirectory(data, "prometheus");
        try (PrometheusServer prometheus = new PrometheusServer(binary.get(), dir, ports.one(), jobs, List.of(rules))) {
            prometheus.awaitReady();
            int targets = jobs.values().stream().mapToInt(List::size).sum();
            await(() -> query(prometheus, "up == 1").size() == targets ? Optional.of(true) : Optional.empty());
            // Images while it scrapes, so that every rate has two points to be drawn between.
            for (int i = 0; i < 3; i++) {
                generator().generate(GenerateRequest.newBuilder().setClassName("shirt").setCount(2).build());
                Thread.sleep(1200);
            }
            List<PrometheusServer.Sample> energy = await(() -> nonEmpty(query(prometheus, "sum by (un0_pool, hw_type, un0_energy_source) (hw_energy_joules_total)")));
            assertTrue(energy.stream().anyMatch(e -> e.labels().get("un0_pool").equals(LocalMesh.EDGE_POOL) && e.value() > 0
                    && Set.of("modelled", "measured_rapl", "measured_nvml").contains(e.labels().get("un0_energy_source"))), energy.toString());
            assertTrue(query(prometheus, "sum by (un0_tenant) (un0_carbon_grams_total{un0_tenant=\"tenant-a\"}) > 0").size() == 1, "tenant-a's gCO2e");
            assertTrue(!query(prometheus, "un0_pool_power_watts{un0_pool=\"" + LocalMesh.EDGE_POOL + "\"}").isEmpty(), "the edge pool's power");
            assertTrue(!query(prometheus, "un0_grid_intensity_grams_per_kWh{un0_grid_region=\"" + LocalMesh.REGION + "\"}").isEmpty(), "the region's grid signal");
            assertTrue(!query(prometheus, "un0_scheduler_decisions_total{un0_decision_kind=\"assign\"}").isEmpty(), "routing decisions");
            assertTrue(!query(prometheus, "hw_power_watts").isEmpty(), "the workers' power");
            assertTrue(!await(() -> nonEmpty(query(prometheus, "un0_process_energy_joules_total{un0_process_role=\"broker\"}"))).isEmpty(),
                    "the broker's own energy, as the scheduler re-exports its reports");
            assertTrue(!query(prometheus, "un0_gateway_request_duration_seconds_count{rpc_method=\"Generate\"}").isEmpty(), "the gateway's latencies");
            assertEquals(1, query(prometheus, "sum(un0_gateway_batch_images_count{un0_tenant=\"tenant-a\"})").size(), "the batches' sizes");
            // The malformed records of order 4 went to the dead-letter topic: counted by the service that gave up.
            assertTrue(!query(prometheus, "un0_dead_letters_total").isEmpty(), "dead letters");
            // Every shipped rule evaluates without error; the recording rules the dashboards read have values.
            await(() -> {
                List<PrometheusServer.Rule> loaded = rules(prometheus);
                return !loaded.isEmpty() && loaded.stream().allMatch(r -> r.health().equals("ok")) ? Optional.of(loaded) : Optional.empty();
            });
            List<PrometheusServer.Sample> perImage = await(() -> nonEmpty(query(prometheus, "un0_pool:joules_per_image:rate5m")));
            // A number, not NaN: over a few seconds the modelled joules of a short run may round to 0 (CPU-time granularity).
            assertTrue(perImage.stream().allMatch(p -> p.value() >= 0 && Double.isFinite(p.value())), perImage.toString());
            assertTrue(!await(() -> nonEmpty(query(prometheus, "un0_tenant:grams_per_image:rate1h"))).isEmpty());
        }
    }

    /**
     * Issue 14: the scheduler's fleet console in Debian's headless Chromium, driven by Playwright as an operator
     * would: it shows the live pool, the region's grid signal and the tenant's charts, and a budget set on the page
     * is what the Fleet gRPC service then lists. Without an operator's token its API refuses.
     */
    @Test
    @Order(5)
    void theFleetConsoleShowsTheFleetAndSetsABudgetInAHeadlessBrowser() throws Exception {
        Path client = Path.of(System.getProperty("un0.home", "..")).toAbsolutePath().normalize().resolve("deploy/src/test/node");
        Assumptions.assumeTrue(Files.isDirectory(client.resolve("node_modules/playwright-core")),
                "skipped: playwright-core is not installed (scripts/setup.sh runs npm ci in deploy/src/test/node)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "skipped: no /usr/bin/chromium (scripts/setup.sh installs Debian's)");
        int http = mesh.service("scheduler").ports().http();
        HttpClient plain = HttpClient.newHttpClient();
        URI fleetApi = URI.create("http://127.0.0.1:" + http + "/console/api/fleet");
        assertEquals(401, plain.send(HttpRequest.newBuilder(fleetApi).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(403, plain.send(HttpRequest.newBuilder(fleetApi).header("Authorization", "Bearer "
                + Files.readString(mesh.credentials().token(Caller.TENANT_A)).trim()).build(), HttpResponse.BodyHandlers.discarding()).statusCode());

        Path screenshot = Path.of("target/console.png").toAbsolutePath();
        Process node = new ProcessBuilder("node", "console-check.mjs", "http://127.0.0.1:" + http + "/console/",
                mesh.credentials().token(Caller.OPERATOR).toString(), LocalMesh.EDGE_POOL, "5000", screenshot.toString())
                .directory(client.toFile()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "browser done");
        ManagedChannel scheduler = MeshChannels.anonymous(mesh.credentials(), mesh.service("scheduler").ports().grpc());
        FleetGrpc.FleetBlockingStub fleet = FleetGrpc.newBlockingStub(scheduler).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withCallCredentials(BearerToken.read(mesh.credentials().token(Caller.OPERATOR)));
        try {
            assertEquals(0, node.exitValue(), out);
            JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
            assertTrue(seen.get("pools").toString().contains(LocalMesh.EDGE_POOL), out);
            assertTrue(seen.get("regions").toString().contains(LocalMesh.REGION), out);
            assertTrue(seen.get("tenants").toString().contains(Caller.TENANT_A.tenant()), out);
            assertTrue(seen.get("routedPools").toString().contains(LocalMesh.EDGE_POOL), "where the last hour's jobs went: " + out);
            assertTrue(seen.get("budgetResult").asText().contains("5.00 kW"), out);
            assertEquals(0, seen.get("errors").size(), out);
            assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page");

            PoolStatus edge = fleet.listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList().stream()
                    .filter(p -> p.getPool().equals(LocalMesh.EDGE_POOL)).findFirst().orElseThrow();
            assertEquals(5000, edge.getBudgetWatts(), 1e-9, "the budget set on the page, as ListPools shows it");
            PowerBudget set = fleet.listBudgets(ListBudgetsRequest.getDefaultInstance()).getBudgetsList().stream()
                    .filter(b -> b.getName().equals(LocalMesh.EDGE_POOL)).findFirst().orElseThrow();
            assertEquals(Caller.OPERATOR.subject(), set.getSetBy(), "set by the operator who signed in");
        } finally {
            fleet.clearBudget(ClearBudgetRequest.newBuilder().setScope(BudgetScope.BUDGET_SCOPE_POOL).setName(LocalMesh.EDGE_POOL).build());
            scheduler.shutdownNow();
        }
    }

    @Test
    @Order(6)
    void aTenantsSustainabilityReportCountsItsImagesWithEIAndMAndWeighsItsRoutes() throws Exception {
        GenerateResponse served = GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .generate(GenerateRequest.newBuilder().setClassName("bag").setCount(3).build());
        SustainabilityReportRequest request = SustainabilityReportRequest.newBuilder().setTenant(Caller.TENANT_A.tenant())
                .setFrom(ProtoTime.timestamp(started)).setTo(ProtoTime.timestamp(Instant.now().plusSeconds(60))).build();
        ManagedChannel asTenant = MeshChannels.withToken(mesh.credentials(), mesh.service("scheduler").ports().grpc(), Caller.TENANT_A);
        ManagedChannel asOperator = MeshChannels.withToken(mesh.credentials(), mesh.service("scheduler").ports().grpc(), Caller.OPERATOR);
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> FleetGrpc.newBlockingStub(asTenant).withDeadlineAfter(30, TimeUnit.SECONDS).getSustainabilityReport(request));
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode(), "reports are for operators");

            SustainabilityReport report = FleetReports.fetch(asOperator, request, served.getImagesCount(), Duration.ofSeconds(30));
            assertTrue(report.getImages() >= served.getImagesCount(), report.toString());
            assertTrue(report.getEnergy().getEngineJoules() > 0 && report.getEnergy().getSharedJoules() > 0, "E, engine and shared: " + report.getEnergy());
            assertTrue(report.getEmbodied().getGramsCo2E() > 0, "M from the declared hardware: " + report.getEmbodied());
            assertTrue(report.getIntensity().getUsesList().stream().anyMatch(u -> u.getRegion().equals(LocalMesh.REGION)
                    && u.getBasis() == GridSignalBasis.GRID_SIGNAL_BASIS_AVERAGE), report.getIntensity().toString());
            assertTrue(report.getBoundary().getProcessesList().stream().anyMatch(p -> p.startsWith("gateway/")), report.getBoundary().toString());
            assertTrue(report.getCarbonBlind().getJobs() > 0, "each job weighed against carbon-blind routing: " + report.getCarbonBlind());
            assertEquals(report.getTotalGramsCo2E() / report.getImages(), report.getSciGramsCo2EPerImage(), 1e-15);
            List<Path> files = ReportFiles.write(report, Path.of("target/sci-report").toAbsolutePath(), "sci-report-" + Caller.TENANT_A.tenant());
            assertTrue(Files.readString(files.get(3)).contains("Sustainability report: tenant " + Caller.TENANT_A.tenant()));
        } finally {
            asTenant.shutdownNow();
            asOperator.shutdownNow();
        }
    }

    private static List<PrometheusServer.Sample> query(PrometheusServer prometheus, String promql) {
        return asked(() -> prometheus.query(promql));
    }

    private static List<PrometheusServer.Rule> rules(PrometheusServer prometheus) {
        return asked(prometheus::rules);
    }

    /** Prometheus asked inside an {@link #await} condition, which cannot throw. */
    private static <T> T asked(java.util.concurrent.Callable<T> question) {
        try {
            return question.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("asking prometheus", e);
        }
    }

    private static <T> Optional<List<T>> nonEmpty(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list);
    }

    @Test
    @Order(6)
    void aWorkerKilledMidBatchLosesNothingAndDoublesNothing() throws Exception {
        int items = 60;
        SubmitBatchRequest.Builder request = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < items; i++) {
            request.addItems(BatchItem.newBuilder().setClassId(i % 10).setCount(32));
        }
        String id = batches().submitBatch(request.build()).getBatchId();
        await(() -> known(id).filter(b -> b.getDoneItems() >= 3));
        assertTrue(known(id).orElseThrow().getDoneItems() < items, "the batch is still running when the worker dies");
        mesh.service("edge-1").kill();

        List<BatchEvent> events = watch(id);
        Batch last = events.get(events.size() - 1).getBatch();
        assertEquals(BatchState.BATCH_STATE_SUCCEEDED, last.getState(), last.toString());
        assertEquals(items, last.getDoneItems());
        List<BatchImage> images = new ArrayList<>();
        Iterator<BatchImage> fetched = BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .fetchBatchImages(FetchBatchImagesRequest.newBuilder().setBatchId(id).build());
        fetched.forEachRemaining(images::add);
        assertEquals(items * 32, images.size(), "every image once");
        Set<String> distinct = new HashSet<>();
        images.forEach(i -> distinct.add(i.getItemIndex() + "/" + i.getImage().getSeed()));
        assertEquals(items * 32, distinct.size(), "no image twice");
        assertTrue(mesh.service("edge-2").alive());
        assertEquals(Optional.of("edge-1"), mesh.firstExited().map(ServiceProcess::name), "the launcher sees which service is gone");
        assertTrue(mesh.firstExited().orElseThrow().exitReport().startsWith("edge-1 exited with status "));
    }

    private List<BatchEvent> watch(String batchId) throws Exception {
        await(() -> known(batchId));
        List<BatchEvent> events = new ArrayList<>();
        BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(3, TimeUnit.MINUTES)
                .watchBatch(GetBatchRequest.newBuilder().setBatchId(batchId).build()).forEachRemaining(events::add);
        return events;
    }

    private Optional<Batch> known(String batchId) {
        try {
            return Optional.of(batches().getBatch(GetBatchRequest.newBuilder().setBatchId(batchId).build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private List<ConsumerRecord<String, byte[]>> read(MeshTopic topic, Predicate<ConsumerRecord<String, byte[]>> wanted, int count,
                                                      Duration within) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = MeshClients.groupMember(mesh.kafkaAs(KafkaPrincipal.ADMIN), "it-" + System.nanoTime(), "it-reader", 500)) {
            c.subscribe(List.of(topic.name()));
            long until = System.nanoTime() + within.toNanos();
            while (found.size() < count && System.nanoTime() < until) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (wanted.test(r)) {
                        found.add(r);
                    }
                });
            }
        }
        assertTrue(found.size() >= count, "only " + found.size() + " of " + count + " records on " + topic.name());
        return found;
    }

    private interface Parser<T> {
        T parse(byte[] bytes) throws com.google.protobuf.InvalidProtocolBufferException;
    }

    private static <T> T parse(ConsumerRecord<String, byte[]> r, Parser<T> parser) {
        try {
            return parser.parse(r.value());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Span named(List<OtlpReceiver.ServiceSpan> trace, String name) {
        return trace.stream().map(OtlpReceiver.ServiceSpan::span).filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static <T> T await(java.util.function.Supplier<Optional<T>> condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 60 s");
    }

    private GeneratorGrpc.GeneratorBlockingStub generator() {
        return GeneratorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private BatchesGrpc.BatchesBlockingStub batches() {
        return BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }
}

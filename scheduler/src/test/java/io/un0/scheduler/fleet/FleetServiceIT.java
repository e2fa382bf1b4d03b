package io.un0.scheduler.fleet;

import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.un0.broker.LocalKafkaResource;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.ClearBudgetRequest;
import io.un0.proto.v1.DeadLetter;
import io.un0.proto.v1.FleetGrpc;
import io.un0.proto.v1.GridSignalStatus;
import io.un0.proto.v1.ListBudgetsRequest;
import io.un0.proto.v1.ListPoolsRequest;
import io.un0.proto.v1.ListSignalsRequest;
import io.un0.proto.v1.ListWorkersRequest;
import io.un0.proto.v1.PoolStatus;
import io.un0.proto.v1.PowerBudget;
import io.un0.proto.v1.PrecisionRate;
import io.un0.proto.v1.SetBudgetRequest;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import io.un0.proto.v1.Timings;
import io.un0.proto.v1.WorkerStatus;
import io.un0.scheduler.budget.PowerBudgetBook;
import io.un0.scheduler.testing.BeatingWorkers;
import io.un0.scheduler.testing.Eventually;
import io.un0.scheduler.testing.MeshTap;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Fleet service of the packaged app over a real gRPC channel, budgets on a real broker, workers beating on it. */
@QuarkusTest
@WithTestResource(LocalKafkaResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetServiceIT {

    @TestHTTPResource("/")
    URL root;

    /** gRPC has its own server and port; HTTP serves health. */
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @ConfigProperty(name = "un0.kafka.bootstrap-servers")
    String bootstrapServers;

    private ManagedChannel channel;
    private FleetGrpc.FleetBlockingStub fleet;

    @BeforeAll
    void connect() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(root + "q/health/ready")).build();
        Eventually.within(Duration.ofSeconds(30), () -> status(http, ready) == 200, () -> "scheduler not ready within 30 s");
        String body = http.send(ready, HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(body.contains("un0-power-budgets"), body);
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        fleet = FleetGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofMinutes(2));
    }

    private static int status(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @AfterAll
    void disconnect() {
        channel.shutdownNow();
    }

    private static SetBudgetRequest.Builder set(BudgetScope scope, String name, double watts) {
        return SetBudgetRequest.newBuilder().setScope(scope).setName(name).setWatts(watts);
    }

    private static ClearBudgetRequest clear(BudgetScope scope, String name) {
        return ClearBudgetRequest.newBuilder().setScope(scope).setName(name).build();
    }

    private Optional<PowerBudget> listed(BudgetScope scope, String name) {
        return fleet.listBudgets(ListBudgetsRequest.getDefaultInstance()).getBudgetsList().stream()
                .filter(b -> b.getScope() == scope && b.getName().equals(name)).findFirst();
    }

    @Test
    void budgetsAreSetListedClearedAndKeptOnTheTopic() throws Exception {
        Instant before = Instant.now();
        PowerBudget site = fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_SITE, "site-kept", 500).setSetBy("ops@test")
                .setReason("peak tariff").build());
        assertEquals(500, site.getWatts());
        assertEquals("ops@test", site.getSetBy());
        assertEquals("peak tariff", site.getReason());
        assertFalse(ProtoTime.instant(site.getUpdated()).isBefore(before));
        PowerBudget pool = fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_POOL, "pool-kept", 80).build());
        assertEquals("fleet-api", pool.getSetBy(), "an unnamed caller is recorded as the API");

        // Answered after the read-back: listed at once, no waiting.
        assertEquals(Optional.of(site), listed(BudgetScope.BUDGET_SCOPE_SITE, "site-kept"));
        assertEquals(Optional.of(pool), listed(BudgetScope.BUDGET_SCOPE_POOL, "pool-kept"));
        List<PowerBudget> all = fleet.listBudgets(ListBudgetsRequest.getDefaultInstance()).getBudgetsList();
        assertTrue(all.indexOf(site) < all.indexOf(pool), "sites first: " + all);

        PowerBudget lower = fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_SITE, "site-kept", 300).setSetBy("ops@test").build());
        assertEquals(Optional.of(lower), listed(BudgetScope.BUDGET_SCOPE_SITE, "site-kept"), "the latest cap wins");
        fleet.clearBudget(clear(BudgetScope.BUDGET_SCOPE_POOL, "pool-kept"));
        assertEquals(Optional.empty(), listed(BudgetScope.BUDGET_SCOPE_POOL, "pool-kept"));
        fleet.clearBudget(clear(BudgetScope.BUDGET_SCOPE_POOL, "never-set"));

        // Another scheduler (or this one restarted) reads the same caps back from the compacted topic.
        try (PowerBudgetBook second = new PowerBudgetBook(KafkaAccess.plain(bootstrapServers), "fleet-it-second", Duration.ofSeconds(10))) {
            second.start();
            Eventually.within(Duration.ofSeconds(20), second::ready, () -> "the second book did not read the topic to its end");
            assertTrue(second.list().contains(lower), second.list().toString());
            assertTrue(second.list().stream().noneMatch(b -> b.getName().equals("pool-kept")), second.list().toString());
            assertEquals(300.0, second.current().sites().get("site-kept"));
            assertFalse(second.current().pools().containsKey("pool-kept"));
        }
    }

    @Test
    void theTopicIsCompactedAndUnreadableRecordsGoToTheDeadLetters() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, MeshTopic.POWER_BUDGETS.name());
            Config config = admin.describeConfigs(List.of(topic)).all().get(20, TimeUnit.SECONDS).get(topic);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(bootstrapServers, "fleet-it-junk", Duration.ofSeconds(10));
             MeshTap tap = new MeshTap(bootstrapServers, MeshTopic.DEAD_LETTERS.name())) {
            producer.send(new ProducerRecord<>(MeshTopic.POWER_BUDGETS.name(), "region/es",
                    PowerBudget.newBuilder().setScope(BudgetScope.BUDGET_SCOPE_SITE).setName("es").setWatts(1).build().toByteArray())).get();
            producer.send(new ProducerRecord<>(MeshTopic.POWER_BUDGETS.name(), "site/junk", "junk".getBytes(StandardCharsets.UTF_8))).get();
            DeadLetter key = tap.await(MeshTopic.DEAD_LETTERS.name(), DeadLetter.parser(),
                    d -> d.getTopic().equals(MeshTopic.POWER_BUDGETS.name()) && d.getKey().toStringUtf8().equals("region/es")).message();
            assertTrue(key.getReason().contains("neither site/<name> nor pool/<name>"), key.getReason());
            DeadLetter value = tap.await(MeshTopic.DEAD_LETTERS.name(), DeadLetter.parser(),
                    d -> d.getTopic().equals(MeshTopic.POWER_BUDGETS.name()) && d.getKey().toStringUtf8().equals("site/junk")).message();
            assertTrue(value.getReason().contains("not an un0.v1.PowerBudget"), value.getReason());
            assertEquals("junk", value.getValue().toStringUtf8());
        }
        assertEquals(Optional.empty(), listed(BudgetScope.BUDGET_SCOPE_SITE, "junk"));
        assertEquals(Optional.empty(), listed(BudgetScope.BUDGET_SCOPE_SITE, "es"));
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_UNSPECIFIED, "a", 1).build()), Set.of("scope"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_SITE, "a", 1).setScopeValue(42).build()), Set.of("scope"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_SITE, "", 1).build()), Set.of("name"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_POOL, "Edge ES", 1).build()), Set.of("name"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_POOL, "a", -1).build()), Set.of("watts"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_POOL, "a", Double.NaN).build()), Set.of("watts"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_POOL, "a", Double.POSITIVE_INFINITY).build()), Set.of("watts"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_POOL, "a", 2e7).build()), Set.of("watts"));
        assertRefused(() -> fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_UNSPECIFIED, "A", -1).setReason("r".repeat(1001)).build()),
                Set.of("scope", "name", "watts", "reason"));
        assertRefused(() -> fleet.clearBudget(clear(BudgetScope.BUDGET_SCOPE_SITE, "")), Set.of("name"));
        assertEquals(Optional.empty(), listed(BudgetScope.BUDGET_SCOPE_POOL, "a"), "nothing refused was written");
    }

    @Test
    void aSustainabilityReportSumsATenantsAccountingAndWeighsItsRoutesAgainstCarbonBlindRouting() throws Exception {
        String tenant = "report-it-" + System.nanoTime();
        Instant now = Instant.now();
        JobResult served = JobResult.newBuilder().setJobId(tenant + "-j1").setTenant(tenant).setStatus(JobStatus.JOB_STATUS_SUCCEEDED)
                .addSeeds(1).addSeeds(2).addSeeds(3)
                .setAccounting(Accounting.newBuilder().setPool("edge-es").setDeviceClass(DeviceClass.DEVICE_CLASS_CPU)
                        .setEnergy(Energy.newBuilder().setJoules(27).setSource(EnergySource.ENERGY_SOURCE_MODELLED))
                        .setCarbon(Carbon.newBuilder().setRegion("ES").setSignalSource("static").setIntensityGPerKwh(100).setGramsCo2E(0.00075))
                        .setTimings(Timings.newBuilder().setInference(ProtoTime.duration(Duration.ofMillis(500))))).build();
        Decision assigned = Decision.newBuilder().setJobId(served.getJobId()).setKind(DecisionKind.DECISION_KIND_ASSIGN).setDecided(ProtoTime.timestamp(now))
                .setChosen(Alternative.newBuilder().setPool("edge-es").setSteps(1).setExpectedGramsCo2E(0.001))
                .setCarbonBlind(Alternative.newBuilder().setPool("edge-pl").setSteps(1).setExpectedGramsCo2E(0.004)).build();
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(bootstrapServers, "fleet-it-report", Duration.ofSeconds(10))) {
            producer.send(new ProducerRecord<>(MeshTopic.ACCOUNTING.name(), served.getJobId(), served.toByteArray())).get();
            producer.send(new ProducerRecord<>(MeshTopic.ACCOUNTING.name(), "junk", "junk".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(MeshTopic.ACCOUNTING.name(), "other", served.toBuilder().setJobId("other").setTenant("someone-else")
                    .build().toByteArray())).get();
            producer.send(new ProducerRecord<>(MeshTopic.DECISIONS.name(), served.getJobId(), assigned.toByteArray())).get();
        }
        SustainabilityReport report = fleet.getSustainabilityReport(SustainabilityReportRequest.newBuilder().setTenant(tenant)
                .setFrom(ProtoTime.timestamp(now.minus(Duration.ofHours(1)))).setTo(ProtoTime.timestamp(now.plus(Duration.ofMinutes(1)))).build());
        assertEquals(3, report.getImages(), "only the tenant's job; an unreadable record is passed over");
        assertEquals(27, report.getEnergy().getJoules(), 1e-9);
        assertEquals(0.5, report.getEmbodied().getDevices(0).getSeconds(), 1e-9);
        assertEquals((0.00075 + report.getEmbodied().getGramsCo2E()) / 3, report.getSciGramsCo2EPerImage(), 1e-12);
        assertEquals(0.003, report.getCarbonBlind().getSavedGramsCo2E(), 1e-12);
        assertEquals(1, report.getCarbonBlind().getJobsMoved());
        assertEquals(21, report.getStepsCount(), "61 minutes in steps of 3: a 24th of the period, rounded up to whole minutes");
        assertTrue(report.getComplete());

        assertRefused(() -> fleet.getSustainabilityReport(SustainabilityReportRequest.newBuilder().setFrom(ProtoTime.timestamp(now))
                .setTo(ProtoTime.timestamp(now.minusSeconds(1))).build()), Set.of("to"));
        assertRefused(() -> fleet.getSustainabilityReport(SustainabilityReportRequest.getDefaultInstance()), Set.of("from", "to"));
    }

    private static void assertRefused(Runnable call, Set<String> fields) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
        BadRequest details = StatusProto.fromThrowable(e).getDetailsList().stream().filter(d -> d.is(BadRequest.class))
                .map(d -> {
                    try {
                        return d.unpack(BadRequest.class);
                    } catch (Exception x) {
                        throw new AssertionError(x);
                    }
                }).findFirst().orElseThrow(() -> new AssertionError("no BadRequest in " + e));
        assertEquals(fields, Set.copyOf(details.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList()),
                e.getMessage());
    }

    @Test
    void poolsShowTheCapInForceWorkersAndSignalsWhatTheSchedulerSees() throws Exception {
        try (BeatingWorkers workers = new BeatingWorkers(bootstrapServers, Duration.ofMillis(500))) {
            workers.beat(BeatingWorkers.worker("pools-1", "edge-pools", "ES", 4, 1));
            Eventually.within(Duration.ofSeconds(20), () -> pool("edge-pools").isPresent(), () -> "edge-pools never live");
            PoolStatus uncapped = pool("edge-pools").orElseThrow();
            assertEquals("site-edge-pools", uncapped.getSite());
            assertEquals(1, uncapped.getLiveWorkers());
            assertEquals(4, uncapped.getCapacity());
            assertFalse(uncapped.hasBudgetWatts(), "no cap: no budget");
            assertEquals(2, uncapped.getRatesCount(), uncapped.toString());

            fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_POOL, "edge-pools", 75).build());
            assertEquals(75.0, pool("edge-pools").orElseThrow().getBudgetWatts(), "in force as soon as SetBudget answered");

            // A site cap between idle and full draw is the pool's, as the only pool of its site.
            double idle = uncapped.getIdleWatts();
            double full = uncapped.getRatesList().stream().mapToDouble(r -> r.getEvalsPerSecond() * r.getJoulesPerEval()).max().orElseThrow();
            double siteCap = (idle + full) / 2;
            fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_SITE, "site-edge-pools", siteCap).build());
            assertEquals(siteCap, pool("edge-pools").orElseThrow().getBudgetWatts(), 1e-9);
            fleet.setBudget(set(BudgetScope.BUDGET_SCOPE_SITE, "site-edge-pools", 0).build());
            assertEquals(idle, pool("edge-pools").orElseThrow().getBudgetWatts(), 1e-9, "a site's budget pays idle draw first");

            fleet.clearBudget(clear(BudgetScope.BUDGET_SCOPE_SITE, "site-edge-pools"));
            fleet.clearBudget(clear(BudgetScope.BUDGET_SCOPE_POOL, "edge-pools"));
            assertFalse(pool("edge-pools").orElseThrow().hasBudgetWatts());

            WorkerStatus worker = fleet.listWorkers(ListWorkersRequest.getDefaultInstance()).getWorkersList().stream()
                    .filter(w -> w.getWorker().equals("pools-1")).findFirst().orElseThrow();
            assertEquals("edge-pools", worker.getPool());
            assertEquals("ES", worker.getRegion());
            assertEquals(1, worker.getQueueDepth());
            assertEquals(List.of(1, 2), worker.getRatesList().stream().map(PrecisionRate::getPrecisionValue).toList());
            assertTrue(worker.hasSeen());
        }
        Eventually.within(Duration.ofSeconds(20), () -> signal("local").isPresent(), () -> "no grid signal for region local");
        GridSignalStatus local = signal("local").orElseThrow();
        assertEquals(480, local.getGramsPerKwh());
        assertFalse(local.getSource().isEmpty());
    }

    private Optional<PoolStatus> pool(String name) {
        return fleet.listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList().stream().filter(p -> p.getPool().equals(name)).findFirst();
    }

    private Optional<GridSignalStatus> signal(String region) {
        return fleet.listSignals(ListSignalsRequest.getDefaultInstance()).getSignalsList().stream()
                .filter(s -> s.getRegion().equals(region)).findFirst();
    }

    /** The test profile runs the solar site "solar-roof" on the fixture trace, a replayed minute per second. */
    @Test
    void aSolarSiteFollowsItsTrace() {
        Set<Double> traced = Set.of(50.0, 550.0, 2050.0, 1050.0);
        Eventually.within(Duration.ofSeconds(20), () -> listed(BudgetScope.BUDGET_SCOPE_SITE, "solar-roof").isPresent(),
                () -> "no solar budget for solar-roof");
        PowerBudget solar = listed(BudgetScope.BUDGET_SCOPE_SITE, "solar-roof").orElseThrow();
        assertEquals("solar:Alpha Town", solar.getSetBy());
        assertTrue(traced.contains(solar.getWatts()), solar.toString());
        Set<Double> seen = new HashSet<>();
        Eventually.within(Duration.ofSeconds(20), () -> {
            seen.add(listed(BudgetScope.BUDGET_SCOPE_SITE, "solar-roof").orElseThrow().getWatts());
            return seen.size() >= 2;
        }, () -> "the solar budget did not move with the sun: " + seen);
        assertTrue(traced.containsAll(seen), seen.toString());
    }
}

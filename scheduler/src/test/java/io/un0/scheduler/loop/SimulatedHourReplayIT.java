package io.un0.scheduler.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.un0.broker.LocalKafka;
import io.un0.carbon.TraceFolders;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.ForecastPoint;
import io.un0.proto.mesh.v1.GridIntensity;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.Quality;
import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.JobView;
import io.un0.routing.PoolView;
import io.un0.routing.Rate;
import io.un0.routing.Route;
import io.un0.scheduler.mapping.DeclaredHardware;
import io.un0.scheduler.mapping.JobViews;
import io.un0.scheduler.testing.Eventually;
import io.un0.scheduler.testing.MeshBroker;
import io.un0.scheduler.testing.MeshTap;
import io.un0.scheduler.testing.RunningScheduler;
import io.un0.sim.engine.Forecaster;
import io.un0.sim.engine.Simulation;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One simulated hour replayed through the live scheduler on a real broker. The simulator runs the carbon-aware policy
 * over a scenario and logs every decision with the view it was shown; the same jobs then go through
 * {@link SchedulerLoop} one at a time, its clock set to each decision's instant, after heartbeats that say what each
 * simulated pool held then, the grid signals the simulator priced by, and with the sites' budgets of that instant.
 * The live fleet view must be the simulator's, and every decision the same: kind, pool, precision, steps and, for a
 * deferral, its start.
 */
class SimulatedHourReplayIT {

    private static final Path SCENARIO = Path.of("src/test/resources/replay/one-hour-es-no.json");

    @TempDir
    Path data;

    /** A clock the test moves: the scheduler's time is the simulated instant being replayed. */
    private static final class ReplayClock extends Clock {
        private volatile Instant now;

        ReplayClock(Instant start) {
            now = start;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }

    private record Logged(JobView job, FleetView view, Optional<Route> route) {
    }

    @Test
    void theLiveSchedulerDecidesASimulatedHourAsTheSimulatorDid() throws Exception {
        Optional<Path> shared = TraceFolders.sharedData();
        assumeTrue(shared.isPresent(), "../shared/data is absent: the recorded grid traces the replay runs on cannot be read here");
        Scenario scenario = Scenario.read(SCENARIO);
        Traces traces = Traces.load(scenario, shared.get());
        Simulation simulation = new Simulation(scenario, traces, new Forecaster(traces));
        List<Logged> logged = new ArrayList<>();
        simulation.run(new Simulation.Contender("ours", new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT), true),
                (job, view, route) -> {
                    if (view.at().isBefore(scenario.end())) {
                        logged.add(new Logged(job, view, route));
                    }
                });
        assertTrue(logged.size() > 100, "the hour has too few jobs to compare: " + logged.size());
        // A job the simulator holds for a free pool it asks again a tick later, the scheduler at its next pass: both
        // run the same rule, at different instants. The scenario is sized so that its hour has none.
        assertTrue(logged.stream().allMatch(l -> l.route().isPresent() || l.job().urgency() == io.un0.routing.Urgency.INTERACTIVE),
                "the replayed hour holds a job for a free pool; resize the scenario");

        List<String> pools = scenario.pools().stream().map(Scenario.Pool::name).toList();
        ReplayClock clock = new ReplayClock(scenario.start());
        try (LocalKafka kafka = MeshBroker.start(data, pools);
             KafkaProducer<String, byte[]> producer = MeshClients.producer(kafka.bootstrapServers(), "replay", Duration.ofSeconds(10));
             MeshTap tap = new MeshTap(kafka.bootstrapServers(), MeshTopic.DECISIONS.name())) {
            Map<String, GridSignal> published = new HashMap<>();
            publish(producer, logged.get(0).view(), published);
            SchedulerSettings settings = new SchedulerSettings(KafkaAccess.plain(kafka.bootstrapServers()), "replay", "carbon-aware",
                    Duration.ofHours(1), Duration.ofMillis(100), Duration.ofMinutes(5), hardware(scenario), Duration.ofHours(2),
                    Duration.ofMinutes(1), 1000);
            SchedulerLoop loop = new SchedulerLoop(settings, new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT),
                    () -> simulation.budgets(Duration.between(scenario.start(), clock.instant()).toNanos() / 1e9), OpenTelemetry.noop(), clock);
            Map<DecisionKind, Integer> kinds = new TreeMap<>();
            List<String> differences = new ArrayList<>();
            try (RunningScheduler running = RunningScheduler.start(loop, settings.instance())) {
                for (Logged l : logged) {
                    clock.set(l.view().at());
                    publish(producer, l.view(), published);
                    Eventually.within(Duration.ofSeconds(10), () -> sameFleet(loop.fleetNow(), l.view()),
                            () -> "at " + l.view().at() + " the scheduler's fleet differs from the simulator's: " + differences(loop.fleetNow(), l.view()));
                    producer.send(new ProducerRecord<>(MeshTopic.JOBS.name(), l.job().jobId(), job(l.job(), l.view().at()).toByteArray())).get();
                    Decision live = tap.await(MeshTopic.DECISIONS.name(), Decision.parser(), d -> d.getJobId().equals(l.job().jobId())).message();
                    kinds.merge(live.getKind(), 1, Integer::sum);
                    String expected = expected(l);
                    String actual = actual(live);
                    if (!expected.equals(actual)) {
                        differences.add(l.job().jobId() + " at " + l.view().at() + ": simulator " + expected + ", scheduler " + actual);
                    }
                }
            }
            System.out.printf("replayed %d simulated decisions of %s through the live scheduler: %s, %d different%n",
                    logged.size(), scenario.name(), kinds, differences.size());
            assertEquals(List.of(), differences, "decisions the live scheduler made otherwise than the simulator");
            assertTrue(kinds.getOrDefault(DecisionKind.DECISION_KIND_DEFER, 0) > 0 && kinds.getOrDefault(DecisionKind.DECISION_KIND_ASSIGN, 0) > 0,
                    "the hour exercises both assignments and deferrals: " + kinds);
        }
    }

    /** The scenario's figures per device class, as an operator would declare them (every pool of a class has the same). */
    private static Map<DeviceClass, DeclaredHardware> hardware(Scenario scenario) {
        Map<DeviceClass, DeclaredHardware> declared = new EnumMap<>(DeviceClass.class);
        for (Scenario.Pool p : scenario.pools()) {
            // Declared figures cover every precision; a worker's heartbeat names those it serves (an NPU: int8 alone).
            Map<Precision, Rate> rates = new EnumMap<>(Precision.class);
            for (Precision precision : Precision.values()) {
                rates.put(precision, p.rates().getOrDefault(precision, p.rates().values().iterator().next()));
            }
            DeclaredHardware h = new DeclaredHardware(p.idleWatts(), rates, p.embodiedGramsPerHour() / 3600);
            DeclaredHardware before = declared.putIfAbsent(p.device(), h);
            assertTrue(before == null || before.equals(h), "pools of one device class with different figures: " + p.device());
        }
        DeclaredHardware any = declared.values().iterator().next();
        for (DeviceClass c : DeviceClass.values()) {
            declared.putIfAbsent(c, any);
        }
        return declared;
    }

    /** Each simulated pool as one worker's heartbeat of that instant, and any grid signal that changed since the last one sent. */
    private static void publish(KafkaProducer<String, byte[]> producer, FleetView view, Map<String, GridSignal> published) throws Exception {
        for (PoolView p : view.pools()) {
            Heartbeat.Builder h = Heartbeat.newBuilder().setWorker(p.pool() + "-1").setPool(p.pool()).setSite(p.site()).setRegion(p.region())
                    .setDeviceClass(ProtoVocabulary.toProto(p.deviceClass())).setExecutionProvider("simulated")
                    .setCapacity(p.capacity()).setQueueDepth(p.queued()).setQueuedEvaluations(p.queuedEvals())
                    .setEvaluationsAheadOfInteractive(p.urgentEvals()).setPowerWatts(p.powerWatts()).setSent(ProtoTime.timestamp(view.at()));
            p.precisions().stream().sorted().forEach(precision -> h.addPrecisions(ProtoVocabulary.toProto(precision)));
            producer.send(new ProducerRecord<>(MeshTopic.HEARTBEATS.name(), h.getWorker(), h.build().toByteArray()));
        }
        for (GridSignal s : view.grid().values()) {
            if (!s.equals(published.get(s.region()))) {
                GridIntensity.Builder g = GridIntensity.newBuilder().setRegion(s.region()).setGramsPerKwh(s.intensity().gramsPerKwh())
                        .setSource(s.intensity().source()).setStale(s.intensity().stale()).setObserved(ProtoTime.timestamp(view.at()));
                s.forecast().forEach(p -> g.addForecast(ForecastPoint.newBuilder().setFrom(ProtoTime.timestamp(p.from()))
                        .setLength(ProtoTime.duration(p.length())).setGramsPerKwh(p.gramsPerKwh())));
                producer.send(new ProducerRecord<>(MeshTopic.GRID_SIGNALS.name(), s.region(), g.build().toByteArray()));
                published.put(s.region(), s);
            }
        }
        producer.flush();
    }

    /** Pools and grid as the policy will see them; the plan the scheduler keeps for itself, as the simulator does. */
    private static boolean sameFleet(FleetView live, FleetView simulated) {
        return live.at().equals(simulated.at()) && live.pools().equals(simulated.pools()) && live.grid().equals(simulated.grid());
    }

    private static String differences(FleetView live, FleetView simulated) {
        List<String> found = new ArrayList<>();
        if (!live.at().equals(simulated.at())) {
            found.add("at " + live.at() + " / " + simulated.at());
        }
        for (int i = 0; i < Math.max(live.pools().size(), simulated.pools().size()); i++) {
            Object l = i < live.pools().size() ? live.pools().get(i) : null;
            Object s = i < simulated.pools().size() ? simulated.pools().get(i) : null;
            if (l == null || !l.equals(s)) {
                found.add("scheduler " + l + " / simulator " + s);
            }
        }
        simulated.grid().forEach((region, s) -> {
            if (!s.equals(live.grid().get(region))) {
                found.add("scheduler " + live.grid().get(region) + " / simulator " + s);
            }
        });
        return String.join("; ", found);
    }

    /** The simulated job as a gateway would have written it. */
    private static Job job(JobView j, Instant accepted) {
        Job.Builder job = Job.newBuilder().setJobId(j.jobId()).setCount(j.images()).setQuality(Quality.newBuilder().setSteps(j.steps()))
                .setPriority(JobViews.priority(j.urgency())).addAllAllowedRegions(j.allowedRegions()).setAccepted(ProtoTime.timestamp(accepted));
        if (!j.deadline().equals(Instant.MAX)) {
            job.setDeadline(ProtoTime.timestamp(j.deadline()));
        }
        return job.build();
    }

    private static String expected(Logged l) {
        if (l.route().isEmpty()) {
            return "SHED";
        }
        Route r = l.route().get();
        String chosen = r.pool() + "/" + ProtoVocabulary.toProto(r.precision()) + "/" + r.steps();
        return r.defers(l.view().at()) ? "DEFER " + chosen + " until " + r.start() : "ASSIGN " + chosen;
    }

    private static String actual(Decision d) {
        String chosen = d.getChosen().getPool() + "/" + d.getChosen().getPrecision() + "/" + d.getChosen().getSteps();
        return switch (d.getKind()) {
            case DECISION_KIND_SHED -> "SHED";
            case DECISION_KIND_DEFER -> "DEFER " + chosen + " until " + ProtoTime.instant(d.getHoldUntil());
            case DECISION_KIND_ASSIGN -> "ASSIGN " + chosen;
            default -> d.getKind().name();
        };
    }
}

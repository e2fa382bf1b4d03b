package io.un0.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundaryLedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Map<String, Double> GRID = Map.of("es", 180.0, "no", 30.0, "", 500.0);

    @Test
    void theEnergyBeyondTheEngineRunsIsSharedOverTheImagesServedAtEachProcesssOwnGrid() {
        BoundaryLedger ledger = new BoundaryLedger(Duration.ofSeconds(10));
        // Over 10 s: the gateway draws 20 J in ES, the broker 30 J with no region; the worker draws 100 J in NO,
        // of which its 400 images' results carried 60 J.
        ledger.record(report(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", "es", T0, 0, 5, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", "es", T0, 10, 25, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_BROKER, "b", "", T0, 0, 0, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_BROKER, "b", "", T0, 10, 30, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "no", T0, 0, 0, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "no", T0, 10, 100, 400, 60));

        BoundaryShare share = ledger.share(T0.plusSeconds(10), GRID::get).orElseThrow();

        assertEquals(400, share.images(), 1e-9);
        assertEquals(150, share.processJoules(), 1e-9);
        assertEquals(60, share.servedJoules(), 1e-9);
        assertEquals(100.0 / 400, share.workerJoulesPerImage(), 1e-12);
        assertEquals(90.0 / 400, share.sharedJoulesPerImage(), 1e-12);
        double grams = (20 * 180.0 + 30 * 500.0 + 40 * 30.0) / 3.6e6;
        assertEquals(grams, share.sharedGrams(), 1e-12);
        assertEquals(grams / 400, share.toProto().getGramsPerImage(), 1e-15);
        assertEquals(List.of("broker/b (modelled)", "gateway/gw (modelled)", "worker/w (RAPL)"), share.processes());
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, share.source());
    }

    @Test
    void intervalsOfDifferentLengthsAreScaledToTheWindow() {
        BoundaryLedger ledger = new BoundaryLedger(Duration.ofSeconds(10));
        // The gateway reported over 5 s only (it started late): 10 J in 5 s is 20 J in the window.
        ledger.record(report(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", "es", T0, 5, 0, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", "es", T0, 10, 10, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", T0, 0, 0, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", T0, 10, 50, 100, 50));

        BoundaryShare share = ledger.share(T0.plusSeconds(10), GRID::get).orElseThrow();

        assertEquals(20.0 / 100, share.sharedJoulesPerImage(), 1e-12);
    }

    @Test
    void aSilentProcessDropsOutAndARestartedOneCountsFromItsNewStart() {
        BoundaryLedger ledger = new BoundaryLedger(Duration.ofSeconds(10));
        ledger.record(report(ProcessRole.PROCESS_ROLE_SCHEDULER, "gone", "es", T0, 0, 0, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_SCHEDULER, "gone", "es", T0, 5, 500, 0, 0));
        Instant restart = T0.plusSeconds(12);
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", T0, 10, 1000, 1000, 900));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", restart, 13, 2, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", restart, 20, 72, 100, 50));
        // An old report arriving late changes nothing.
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", T0, 11, 1100, 1100, 990));

        BoundaryShare share = ledger.share(T0.plusSeconds(20), GRID::get).orElseThrow();

        assertEquals(List.of("worker/w (RAPL)"), share.processes());
        assertEquals(20.0 / 100, share.sharedJoulesPerImage(), 1e-9);
    }

    @Test
    void withNoImageServedInTheWindowThereIsNothingToShareAmong() {
        BoundaryLedger ledger = new BoundaryLedger(Duration.ofSeconds(10));
        ledger.record(report(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", "es", T0, 0, 0, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", "es", T0, 10, 25, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", T0, 0, 0, 7, 1));
        ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", T0, 10, 4, 7, 1));

        assertTrue(ledger.share(T0.plusSeconds(10), GRID::get).isEmpty());
    }

    @Test
    void theIntervalStartsAtTheLastReportBeforeTheWindowAndOlderOnesAreForgotten() {
        BoundaryLedger ledger = new BoundaryLedger(Duration.ofSeconds(10));
        for (int s = 0; s <= 60; s += 2) {
            ledger.record(report(ProcessRole.PROCESS_ROLE_WORKER, "w", "es", T0, s, 3.0 * s, 10L * s, 2.0 * s));
        }
        BoundaryShare share = ledger.share(T0.plusSeconds(60), GRID::get).orElseThrow();
        // 50 s → 60 s: 30 J drawn, 20 J served, 100 images.
        assertEquals(100, share.images(), 1e-9);
        assertEquals(10.0 / 100, share.sharedJoulesPerImage(), 1e-12);
    }

    @Test
    void theLatestReportOfEachProcessIsItsNewestAndAnOutOfOrderOneDoesNotReplaceIt() {
        BoundaryLedger ledger = new BoundaryLedger(Duration.ofSeconds(10));
        ledger.record(report(ProcessRole.PROCESS_ROLE_BROKER, "b", "", T0, 0, 0, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_BROKER, "b", "", T0, 10, 30, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_BROKER, "b", "", T0, 5, 15, 0, 0));
        ledger.record(report(ProcessRole.PROCESS_ROLE_GATEWAY, "gw", "es", T0, 4, 7, 0, 0));

        assertEquals(Map.of("broker/b", 30.0, "gateway/gw", 7.0), ledger.latest().stream()
                .collect(java.util.stream.Collectors.toMap(ProcessEnergy::getProcess, r -> r.getEnergy().getJoules())));
    }

    private static ProcessEnergy report(ProcessRole role, String name, String region, Instant started, int secondsAfterT0,
                                        double joules, long images, double served) {
        EnergySource source = role == ProcessRole.PROCESS_ROLE_WORKER ? EnergySource.ENERGY_SOURCE_MEASURED_RAPL : EnergySource.ENERGY_SOURCE_MODELLED;
        return ProcessEnergy.newBuilder().setProcess(ProcessEnergyReporter.name(role, name)).setRole(role).setRegion(region)
                .setEnergy(Energy.newBuilder().setJoules(joules).setSource(source).setModel(source.name()))
                .setStarted(ProtoTime.timestamp(started)).setSent(ProtoTime.timestamp(T0.plusSeconds(secondsAfterT0)))
                .setImages(images).setServedJoules(served).build();
    }
}

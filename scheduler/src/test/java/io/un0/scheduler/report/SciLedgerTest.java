package io.un0.scheduler.report;

import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.Boundary;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.GridSignalBasis;
import io.un0.proto.v1.IntensityUse;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import io.un0.proto.v1.Timings;
import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SciLedgerTest {

    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(4));
    /** 2 mg of CO2e per second of a CPU worker's hardware. */
    private static final Map<DeviceClass, Double> EMBODIED = Map.of(DeviceClass.DEVICE_CLASS_CPU, 0.002);

    private static ReportPeriod period(String tenant) {
        return ReportPeriod.of(SustainabilityReportRequest.newBuilder().setTenant(tenant).setFrom(ProtoTime.timestamp(FROM))
                .setTo(ProtoTime.timestamp(TO)).setStep(ProtoTime.duration(Duration.ofHours(1))).build());
    }

    /** A succeeded job of {@code images} images: the engine's joules at the region's intensity, 0.5 s of engine time. */
    private static JobResult served(String job, String tenant, int images, double engineJoules, double intensity, String source,
                                    Optional<Double> sharedJoules) {
        Accounting.Builder a = Accounting.newBuilder().setPool("edge-es").setDeviceClass(DeviceClass.DEVICE_CLASS_CPU)
                .setEnergy(Energy.newBuilder().setJoules(engineJoules).setSource(EnergySource.ENERGY_SOURCE_MODELLED).setModel("3 W per busy core"))
                .setCarbon(Carbon.newBuilder().setRegion("ES").setSignalSource(source).setIntensityGPerKwh(intensity)
                        .setGramsCo2E(Sci.operationalGrams(engineJoules, intensity)))
                .setTimings(Timings.newBuilder().setInference(ProtoTime.duration(Duration.ofMillis(500))));
        sharedJoules.ifPresent(shared -> a.setBoundary(Boundary.newBuilder()
                .setEnergy(Energy.newBuilder().setJoules(engineJoules + shared).setSource(EnergySource.ENERGY_SOURCE_MODELLED).setModel("gateway: modelled"))
                .setGramsCo2E(Sci.operationalGrams(engineJoules, intensity) + Sci.operationalGrams(shared, 100))
                .addProcesses("gateway/gw (modelled)").addProcesses("broker/kafka (modelled)")));
        JobResult.Builder r = JobResult.newBuilder().setJobId(job).setTenant(tenant).setStatus(JobStatus.JOB_STATUS_SUCCEEDED).setAccounting(a);
        for (int i = 0; i < images; i++) {
            r.addSeeds(i);
        }
        return r.build();
    }

    private static Decision decision(String job, DecisionKind kind, Instant decided, String pool, double grams, Alternative blind) {
        Decision.Builder d = Decision.newBuilder().setJobId(job).setKind(kind).setDecided(ProtoTime.timestamp(decided))
                .setChosen(Alternative.newBuilder().setPool(pool).setSteps(1).setExpectedGramsCo2E(grams));
        if (blind != null) {
            d.setCarbonBlind(blind);
        }
        return d.build();
    }

    private static Alternative blind(String pool, int steps, double grams) {
        return Alternative.newBuilder().setPool(pool).setSteps(steps).setExpectedGramsCo2E(grams).build();
    }

    @Test
    void sciPerImageIsOperationalPlusEmbodiedOverTheImagesServed() {
        SciLedger ledger = new SciLedger(period(""), EMBODIED);
        ledger.account(served("j1", "tenant-a", 4, 36, 200, "static", Optional.of(4.0)), FROM.plusSeconds(60));
        ledger.account(served("j2", "tenant-b", 2, 18, 200, "static", Optional.empty()), FROM.plus(Duration.ofMinutes(90)));
        SustainabilityReport r = ledger.report(TO, Optional.empty());

        assertEquals("image", r.getFunctionalUnit());
        assertEquals(6, r.getImages());
        assertEquals(2, r.getJobsSucceeded());
        assertEquals(58, r.getEnergy().getJoules(), 1e-9, "36 + 4 shared + 18");
        assertEquals(54, r.getEnergy().getEngineJoules(), 1e-9);
        assertEquals(4, r.getEnergy().getSharedJoules(), 1e-9);
        assertEquals(2, r.getEnergy().getImagesWithoutShared(), "j2's results carried no shared part");
        double operational = Sci.operationalGrams(54, 200) + Sci.operationalGrams(4, 100);
        assertEquals(operational, r.getOperationalGramsCo2E(), 1e-12);
        assertEquals(2 * 0.5 * 0.002, r.getEmbodied().getGramsCo2E(), 1e-12, "two jobs, half a second each, 2 mg/s");
        assertEquals(1.0, r.getEmbodied().getDevices(0).getSeconds(), 1e-12);
        assertEquals((operational + 0.002) / 6, r.getSciGramsCo2EPerImage(), 1e-12);
        assertEquals(operational / Sci.kilowattHours(58), r.getIntensity().getMeanGPerKwh(), 1e-9);
        assertEquals(java.util.List.of("broker/kafka (modelled)", "gateway/gw (modelled)"), r.getBoundary().getProcessesList());
        assertFalse(r.getBoundary().getExcludedList().isEmpty(), "what the boundary leaves out is said");
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, r.getEnergy().getEngineBySource(0).getSource());
        assertEquals(java.util.List.of("3 W per busy core"), r.getEnergy().getEngineBySource(0).getModelsList());
        assertTrue(r.getComplete());

        assertEquals(4, r.getStepsCount(), "four hours in steps of one");
        assertEquals(4, r.getSteps(0).getImages());
        assertEquals(2, r.getSteps(1).getImages());
        assertTrue(Double.isNaN(r.getSteps(2).getMeanGPerKwh()), "no energy, no intensity");
        assertEquals(1, r.getPoolsCount());
        assertEquals(r.getTotalGramsCo2E(), r.getPools(0).getGramsCo2E(), 1e-12);
    }

    @Test
    void aTenantsReportHasOnlyItsJobsInThePeriodEachCountedOnce() {
        SciLedger ledger = new SciLedger(period("tenant-a"), EMBODIED);
        ledger.account(served("j1", "tenant-a", 4, 36, 200, "static", Optional.empty()), FROM.plusSeconds(60));
        ledger.account(served("j1", "tenant-a", 4, 36, 200, "static", Optional.empty()), FROM.plusSeconds(61));
        ledger.account(served("j2", "tenant-b", 2, 18, 200, "static", Optional.empty()), FROM.plusSeconds(60));
        ledger.account(served("j3", "tenant-a", 2, 18, 200, "static", Optional.empty()), TO);
        ledger.account(served("j4", "tenant-a", 2, 18, 200, "static", Optional.empty()), FROM.minusMillis(1));
        ledger.account(JobResult.newBuilder().setJobId("j5").setTenant("tenant-a").setStatus(JobStatus.JOB_STATUS_FAILED).build(), FROM.plusSeconds(5));
        SustainabilityReport r = ledger.report(TO, Optional.empty());
        assertEquals(4, r.getImages(), "a redelivered job's second result is the same job");
        assertEquals(1, r.getJobsSucceeded());
        assertEquals(1, r.getJobsFailed());
    }

    @Test
    void batchesWrittenWithoutATenantAreTheDefaultTenants() {
        SciLedger ledger = new SciLedger(period("default"), EMBODIED);
        ledger.account(served("j1", "", 3, 27, 200, "static", Optional.empty()), FROM.plusSeconds(60));
        assertEquals(3, ledger.report(TO, Optional.empty()).getImages());
    }

    @Test
    void theSavingIsWhatCarbonBlindRoutingWouldHaveEmittedLessWhatTheChosenRoutesWere() {
        SciLedger ledger = new SciLedger(period(""), EMBODIED);
        ledger.account(served("moved", "a", 1, 9, 30, "static", Optional.empty()), FROM.plusSeconds(60));
        ledger.account(served("deferred", "a", 1, 9, 30, "static", Optional.empty()), FROM.plusSeconds(7200));
        ledger.account(served("same", "a", 1, 9, 30, "static", Optional.empty()), FROM.plusSeconds(60));
        ledger.account(served("unpriced", "a", 1, 9, 30, "static", Optional.empty()), FROM.plusSeconds(60));
        ledger.decision(decision("moved", DecisionKind.DECISION_KIND_ASSIGN, FROM, "edge-no", 0.1,
                blind("edge-pl", 4, 0.9).toBuilder().setPrecision(Precision.PRECISION_INT8).build()));
        // Deferred at FROM - 1 h, when carbon-blind routing would have run it at once; assigned two hours later elsewhere.
        ledger.decision(decision("deferred", DecisionKind.DECISION_KIND_DEFER, FROM.minusSeconds(3600), "edge-no", 0.2, blind("edge-pl", 1, 0.6)));
        ledger.decision(decision("deferred", DecisionKind.DECISION_KIND_ASSIGN, FROM.plusSeconds(3600), "edge-no", 0.3, blind("edge-no", 1, 0.3)));
        ledger.decision(decision("same", DecisionKind.DECISION_KIND_ASSIGN, FROM, "edge-no", 0.2, blind("edge-no", 1, 0.2)));
        ledger.decision(decision("unpriced", DecisionKind.DECISION_KIND_ASSIGN, FROM, "edge-no", Double.NaN, blind("edge-no", 1, 0.2)));
        ledger.decision(decision("another-period", DecisionKind.DECISION_KIND_ASSIGN, FROM, "edge-no", 5, blind("edge-pl", 1, 50)));

        var c = ledger.report(TO, Optional.empty()).getCarbonBlind();
        assertEquals(3, c.getJobs());
        assertEquals(1, c.getJobsNotCompared(), "a decision priced NaN (a policy that does not price) is left out");
        assertEquals(0.1 + 0.3 + 0.2, c.getChosenGramsCo2E(), 1e-12);
        assertEquals(0.9 + 0.6 + 0.2, c.getCarbonBlindGramsCo2E(), 1e-12, "the deferred job against carbon-blind routing when it first came");
        assertEquals(1.1, c.getSavedGramsCo2E(), 1e-12);
        assertEquals(0.3, c.getSavedByDeferralGramsCo2E(), 1e-12);
        assertEquals(1, c.getJobsDeferred());
        assertEquals(2, c.getJobsMoved());
        assertEquals(1, c.getJobsFewerSteps(), "run at 1 step where carbon-blind routing would have run the 4 asked for");
        assertEquals(1, c.getJobsOtherPrecision(), "carbon-blind routing would have run it at int8");
    }

    @Test
    void eachGridSignalSaysWhetherItIsAverageOrMarginalAndHowMuchEnergyWasAccountedStale() {
        SciLedger ledger = new SciLedger(period(""), EMBODIED);
        ledger.account(served("j1", "a", 1, 9, 300, "WattTime MOER (replay of caiso.csv)", Optional.empty()), FROM.plusSeconds(60));
        ledger.account(served("j2", "a", 1, 9, 100, "Electricity Maps export", Optional.empty()), FROM.plusSeconds(60));
        SustainabilityReport r = ledger.report(TO, Optional.empty());
        assertEquals(2, r.getIntensity().getUsesCount());
        IntensityUse moer = r.getIntensity().getUsesList().stream().filter(u -> u.getSource().startsWith("WattTime")).findFirst().orElseThrow();
        assertEquals(GridSignalBasis.GRID_SIGNAL_BASIS_MARGINAL, moer.getBasis());
        assertEquals(9, moer.getJoules(), 1e-12);
        IntensityUse average = r.getIntensity().getUsesList().stream().filter(u -> u.getSource().startsWith("Electricity")).findFirst().orElseThrow();
        assertEquals(GridSignalBasis.GRID_SIGNAL_BASIS_AVERAGE, average.getBasis());
        assertEquals(0, average.getStaleJoules());
    }

    @Test
    void recordsThatNoLongerReachThePeriodsStartMakeItIncomplete() {
        SustainabilityReport r = new SciLedger(period(""), EMBODIED).report(TO, Optional.of(FROM.plusSeconds(600)));
        assertFalse(r.getComplete());
        assertEquals(FROM.plusSeconds(600), ProtoTime.instant(r.getRecordsFrom()));
        assertTrue(Double.isNaN(r.getSciGramsCo2EPerImage()), "no image, no SCI per image");
    }
}

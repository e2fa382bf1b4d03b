package io.un0.gateway.quotas;

import com.google.protobuf.ByteString;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Quota;
import io.un0.proto.v1.TenantUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A tenant's day adds up its finished jobs once each; failures cost nothing; a new UTC day starts from zero. */
class UsageLedgerTest {

    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");

    private static JobResult result(String job, String tenant, JobStatus status) {
        return JobResult.newBuilder().setJobId(job).setTenant(tenant).setStatus(status).addPng(ByteString.copyFromUtf8("png"))
                .setAccounting(Accounting.newBuilder().setEnergy(Energy.newBuilder().setJoules(2).setSource(EnergySource.ENERGY_SOURCE_MODELLED))
                        .setCarbon(Carbon.newBuilder().setGramsCo2E(0.5))).build();
    }

    private static TenantUsage today(UsageLedger ledger, String tenant, Instant at) {
        return ledger.today(tenant, at, Quota.newBuilder().setTenant(tenant).build());
    }

    @Test
    void eachJobCountsOnceOnTheDayItFinished() {
        UsageLedger ledger = new UsageLedger();
        ledger.record(result("j1", "a", JobStatus.JOB_STATUS_SUCCEEDED), NOON);
        ledger.record(result("j1", "a", JobStatus.JOB_STATUS_SUCCEEDED), NOON.plusSeconds(30));
        ledger.record(result("j2", "a", JobStatus.JOB_STATUS_FAILED), NOON);
        ledger.record(result("j3", "b", JobStatus.JOB_STATUS_SUCCEEDED), NOON);
        TenantUsage a = today(ledger, "a", NOON.plusSeconds(60));
        assertEquals(1, a.getImages(), "a redelivered result is not counted again; a failed job costs nothing");
        assertEquals(2, a.getEnergy().getJoules(), 1e-12);
        assertEquals(0.5, a.getCarbon().getGramsCo2E(), 1e-12);
        assertEquals(EnergySource.ENERGY_SOURCE_MODELLED, a.getEnergy().getSource());
        assertEquals(0, today(ledger, "a", NOON.plus(Duration.ofHours(12))).getImages(), "the next UTC day starts afresh");
    }
}

package io.un0.scheduler.report;

import io.un0.broker.LocalKafka;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import io.un0.scheduler.testing.MeshBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A report's records read from a real broker: the period's accounting, and the decisions before it that routed its jobs. */
class ReportRecordsIT {

    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(1));

    @TempDir
    Path data;
    private LocalKafka kafka;

    @BeforeEach
    void startBroker() throws Exception {
        kafka = MeshBroker.start(data, List.of());
    }

    @AfterEach
    void stopBroker() throws Exception {
        kafka.close();
    }

    private static JobResult served(String job, int images) {
        JobResult.Builder r = JobResult.newBuilder().setJobId(job).setTenant("t").setStatus(JobStatus.JOB_STATUS_SUCCEEDED);
        for (int i = 0; i < images; i++) {
            r.addSeeds(i);
        }
        return r.build();
    }

    private static Decision assigned(String job, Instant decided) {
        return Decision.newBuilder().setJobId(job).setKind(DecisionKind.DECISION_KIND_ASSIGN).setDecided(ProtoTime.timestamp(decided))
                .setChosen(Alternative.newBuilder().setPool("clean").setExpectedGramsCo2E(1))
                .setCarbonBlind(Alternative.newBuilder().setPool("dirty").setExpectedGramsCo2E(3)).build();
    }

    @Test
    void readsThePeriodsAccountingAndTheDecisionsBeforeIt() throws Exception {
        try (KafkaProducer<String, byte[]> producer = MeshClients.producer(kafka.bootstrapServers(), "report-it", Duration.ofSeconds(10))) {
            // Record timestamps place each result in time, as the broker would for results written then.
            for (int i = 0; i < 12; i++) {
                Instant at = FROM.plus(Duration.ofMinutes(10 * i - 30));
                producer.send(new ProducerRecord<>(MeshTopic.ACCOUNTING.name(), null, at.toEpochMilli(), "j" + i, served("j" + i, 2).toByteArray()));
                producer.send(new ProducerRecord<>(MeshTopic.DECISIONS.name(), null, at.minusSeconds(5).toEpochMilli(), "j" + i,
                        assigned("j" + i, at.minusSeconds(5)).toByteArray()));
            }
            producer.send(new ProducerRecord<>(MeshTopic.ACCOUNTING.name(), null, FROM.plusSeconds(1).toEpochMilli(), "junk",
                    "junk".getBytes(StandardCharsets.UTF_8))).get();
        }
        ReportPeriod period = ReportPeriod.of(SustainabilityReportRequest.newBuilder().setFrom(ProtoTime.timestamp(FROM))
                .setTo(ProtoTime.timestamp(TO)).build());
        SciLedger ledger = new SciLedger(period, Map.of());
        Optional<Instant> recordsFrom = new ReportRecords(KafkaAccess.plain(kafka.bootstrapServers()), "report-it", Duration.ofSeconds(30)).read(period, ledger);
        SustainabilityReport report = ledger.report(TO, recordsFrom);
        assertEquals(Optional.empty(), recordsFrom, "nothing deleted yet");
        assertEquals(6, report.getJobsSucceeded(), "the results written at 0, 10, ... 50 minutes: " + report);
        assertEquals(12, report.getImages());
        assertEquals(6, report.getCarbonBlind().getJobs(), "each with its decision");
        assertEquals(12, report.getCarbonBlind().getSavedGramsCo2E(), 1e-12);
    }
}

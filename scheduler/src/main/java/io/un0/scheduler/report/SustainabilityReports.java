package io.un0.scheduler.report;

import io.un0.kafka.KafkaConfig;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.SustainabilityReport;
import io.un0.proto.v1.SustainabilityReportRequest;
import io.un0.scheduler.SchedulerConfig;
import io.un0.scheduler.SchedulerService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;

/**
 * Makes sustainability reports on request: each one reads its period's records with consumers of its own, outside
 * any group, so reports neither disturb routing nor one another.
 */
@ApplicationScoped
public class SustainabilityReports {

    /** The most a report may take to read its records: a year of a busy mesh's accounting is millions of records. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    private final KafkaConfig kafka;
    private final String instance;
    private final Map<DeviceClass, Double> embodiedGramsPerSecond = new EnumMap<>(DeviceClass.class);

    SustainabilityReports(KafkaConfig kafka, SchedulerConfig config, SchedulerService scheduler) {
        this.kafka = kafka;
        this.instance = config.instance();
        scheduler.declaredHardware().forEach((device, h) -> embodiedGramsPerSecond.put(ProtoVocabulary.toProto(device), h.embodiedGramsPerSecond()));
    }

    /**
     * @throws InvalidReportRequestException naming the fields at fault
     * @throws ReportUnavailableException    when Kafka cannot be read in time
     */
    public SustainabilityReport report(SustainabilityReportRequest request) {
        ReportPeriod period = ReportPeriod.of(request);
        SciLedger ledger = new SciLedger(period, embodiedGramsPerSecond);
        try {
            Optional<Instant> recordsFrom = new ReportRecords(kafka.access(), instance + "-report-" + UUID.randomUUID(), READ_TIMEOUT).read(period, ledger);
            return ledger.report(Instant.now(), recordsFrom);
        } catch (TimeoutException | KafkaException e) {
            throw new ReportUnavailableException("the records could not be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportUnavailableException("interrupted while reading the records", e);
        }
    }
}

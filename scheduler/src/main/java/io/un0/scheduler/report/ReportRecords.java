package io.un0.scheduler.report;

import com.google.protobuf.InvalidProtocolBufferException;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.JobResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Feeds a {@link SciLedger} from Kafka: the accounting records written in the period, then the decisions that could
 * have routed those jobs (from as long before the period as a job may be deferred). Reads each partition from the
 * period's start to its end as it was when asked, or until its records are well past the period.
 */
final class ReportRecords {

    private static final System.Logger LOG = System.getLogger(ReportRecords.class.getName());
    /** Records of different producers interleave on a partition with their clocks' skew: read this far past the period. */
    private static final Duration SKEW = Duration.ofMinutes(10);
    /** A topic made by hand with fewer partitions than the catalogue's is read as it is, after this wait. */
    private static final Duration PARTITIONS_WAIT = Duration.ofSeconds(10);

    private final KafkaAccess kafka;
    private final String clientId;
    private final Duration timeout;

    /** @param timeout the most the whole reading may take, both topics together */
    ReportRecords(KafkaAccess kafka, String clientId, Duration timeout) {
        this.kafka = kafka;
        this.clientId = clientId;
        this.timeout = timeout;
    }

    /**
     * Reads the period into the ledger and says from when the accounting records are complete, where a partition
     * has already let records go that were written after the period's start.
     */
    Optional<Instant> read(ReportPeriod period, SciLedger ledger) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Instant> recordsFrom;
        try (KafkaConsumer<String, byte[]> consumer = MeshClients.reader(kafka, clientId + "-accounting")) {
            List<TopicPartition> accounting = MeshTopics.partitions(consumer, MeshTopic.ACCOUNTING, PARTITIONS_WAIT);
            recordsFrom = firstKept(consumer, accounting).filter(first -> first.isAfter(period.from()));
            read(consumer, accounting, period.from(), period.to(), deadline, r -> {
                try {
                    ledger.account(JobResult.parseFrom(r.value()), Instant.ofEpochMilli(r.timestamp()));
                } catch (InvalidProtocolBufferException e) {
                    skip(r);
                }
            });
        }
        try (KafkaConsumer<String, byte[]> consumer = MeshClients.reader(kafka, clientId + "-decisions")) {
            read(consumer, MeshTopics.partitions(consumer, MeshTopic.DECISIONS, PARTITIONS_WAIT), period.from().minus(MeshTopic.DEFERRED.retention()),
                    period.to(), deadline, r -> {
                        try {
                            ledger.decision(Decision.parseFrom(r.value()));
                        } catch (InvalidProtocolBufferException e) {
                            skip(r);
                        }
                    });
        }
        return recordsFrom;
    }

    /** The latest of the partitions' first kept records, among partitions that have deleted some: empty where none has. */
    private Optional<Instant> firstKept(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> atZero = new HashMap<>();
        start.forEach((p, offset) -> {
            if (offset > 0) {
                atZero.put(p, 0L);
            }
        });
        if (atZero.isEmpty()) {
            return Optional.empty();
        }
        return consumer.offsetsForTimes(atZero, timeout).values().stream().filter(o -> o != null)
                .map(o -> Instant.ofEpochMilli(o.timestamp())).max(Instant::compareTo);
    }

    private void read(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, Instant from, Instant to, long deadline,
                      Consumer<ConsumerRecord<String, byte[]>> each)
            throws TimeoutException {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, timeout);
        Set<TopicPartition> open = new HashSet<>();
        consumer.assign(partitions);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp o = starts.get(p);
            if (o != null && o.offset() < end.get(p)) {
                consumer.seek(p, o.offset());
                open.add(p);
            }
        }
        long stopAfter = to.plus(SKEW).toEpochMilli();
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("reading the report's records took longer than " + timeout + "; " + open + " not read to the end");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition p = new TopicPartition(r.topic(), r.partition());
                if (!open.contains(p)) {
                    continue;
                }
                if (r.timestamp() < to.toEpochMilli() && r.value() != null) {
                    each.accept(r);
                }
                if (r.timestamp() > stopAfter) {
                    open.remove(p);
                    consumer.pause(List.of(p));
                }
            }
            // By position, not by the last record's offset: a transaction's commit marker may be a partition's last offset.
            for (TopicPartition p : List.copyOf(open)) {
                if (consumer.position(p) >= end.get(p)) {
                    open.remove(p);
                    consumer.pause(List.of(p));
                }
            }
        }
    }

    private static void skip(ConsumerRecord<String, byte[]> r) {
        LOG.log(System.Logger.Level.DEBUG, "a report skips an unreadable record at {0}-{1}@{2}", r.topic(), r.partition(), r.offset());
    }
}

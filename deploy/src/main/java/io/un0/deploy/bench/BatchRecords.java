package io.un0.deploy.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.JobResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What one batch left on the mesh's topics: per topic, the records that name the batch's jobs, how many jobs they
 * name, and how many records repeat a job already seen there. A repeat is neither a loss nor a caller's double (the
 * gateway keeps a job's first result) but work or accounting done again: a gateway that died (or left its group)
 * while it wrote a batch's jobs, whose successor writes them all again; a scheduler that died before committing the
 * offsets of jobs it had routed, whose successor routes them again; a worker that died before committing an
 * assignment it had run.
 */
final class BatchRecords {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration READ_WITHIN = Duration.ofMinutes(3);

    /**
     * @param counts   which of the topic's records were counted
     * @param repeated records beyond the first per job
     */
    record TopicCount(String topic, String counts, long records, int jobs, long repeated) {
    }

    /** Job ids as they are read, and how often each came. */
    static final class JobTally {

        private final Map<String, Integer> perJob = new HashMap<>();
        private long records;

        void add(String jobId) {
            records++;
            perJob.merge(jobId, 1, Integer::sum);
        }

        TopicCount count(String topic, String counts) {
            return new TopicCount(topic, counts, records, perJob.size(), records - perJob.size());
        }
    }

    /** Which of a topic's records belong to the batch, and which job each names. */
    @FunctionalInterface
    private interface JobOf {
        Optional<String> read(byte[] value, String batchId) throws InvalidProtocolBufferException;
    }

    private record Reading(String topic, String counts, JobOf jobOf) {
    }

    private BatchRecords() {
    }

    /**
     * Reads the jobs, decisions, both assignment lanes of every pool, results and accounting from the first record
     * written at or after {@code from} to their ends now.
     *
     * @param kafka a principal that may read every topic
     */
    static List<TopicCount> read(KafkaAccess kafka, String batchId, Instant from) {
        try (KafkaConsumer<String, byte[]> consumer = MeshClients.reader(kafka, "un0-faults-topic-count")) {
            List<Reading> readings = new ArrayList<>();
            readings.add(new Reading(MeshTopic.JOBS.name(), "jobs", (v, b) -> ofBatch(Job.parseFrom(v), b)));
            readings.add(new Reading(MeshTopic.DECISIONS.name(), "final decisions (assign, shed, cancel; not defer)", (v, b) -> {
                Decision d = Decision.parseFrom(v);
                return d.getKind() != DecisionKind.DECISION_KIND_DEFER && d.getJobId().startsWith(b + "/") ? Optional.of(d.getJobId()) : Optional.empty();
            }));
            new TreeSet<>(consumer.listTopics(READ_WITHIN).keySet()).stream()
                    .filter(t -> MeshTopic.ASSIGNMENT_PREFIXES.stream().anyMatch(t::startsWith))
                    .forEach(t -> readings.add(new Reading(t, "assignments", (v, b) -> ofBatch(Assignment.parseFrom(v).getJob(), b))));
            readings.add(new Reading(MeshTopic.RESULTS.name(), "results", (v, b) -> ofBatch(JobResult.parseFrom(v), b)));
            readings.add(new Reading(MeshTopic.ACCOUNTING.name(), "accounted results", (v, b) -> ofBatch(JobResult.parseFrom(v), b)));
            List<TopicCount> counts = new ArrayList<>();
            for (Reading r : readings) {
                counts.add(read(consumer, r, batchId, from));
            }
            return counts;
        }
    }

    private static Optional<String> ofBatch(Job job, String batchId) {
        return job.getBatchId().equals(batchId) ? Optional.of(job.getJobId()) : Optional.empty();
    }

    private static Optional<String> ofBatch(JobResult result, String batchId) {
        return result.getBatchId().equals(batchId) ? Optional.of(result.getJobId()) : Optional.empty();
    }

    private static TopicCount read(KafkaConsumer<String, byte[]> consumer, Reading reading, String batchId, Instant from) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(reading.topic(), READ_WITHIN)) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_WITHIN);
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, READ_WITHIN);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp start = starts.get(p);
            consumer.seek(p, start == null ? ends.get(p) : start.offset());
        }
        JobTally tally = new JobTally();
        long until = System.nanoTime() + READ_WITHIN.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(reading.topic() + " not read to its end within " + READ_WITHIN);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                if (r.value() != null && r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                    try {
                        reading.jobOf().read(r.value(), batchId).ifPresent(tally::add);
                    } catch (InvalidProtocolBufferException unreadable) {
                        // Not one of the batch's records: what the services make of it is the dead-letter topic's business.
                    }
                }
            }
        }
        return tally.count(reading.topic(), reading.counts());
    }
}

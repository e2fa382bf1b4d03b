package io.un0.deploy.mesh;

import com.google.protobuf.InvalidProtocolBufferException;
import io.un0.energy.BoundaryLedger;
import io.un0.energy.BoundaryShare;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.ProcessEnergy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the mesh's processes said they drew (un0.process-energy.v1), read at the start and the end of a phase of
 * the demo or the benchmark: the same reports the scheduler shares out per image, so their figures are the mesh's own.
 */
public final class MeshEnergy {

    /** Every process reports every 2 s: how long to wait after a phase for reports from after its end. */
    public static final Duration REPORTS_SETTLE = Duration.ofSeconds(3);

    /** Over one phase: the whole boundary's share, and what each process drew. */
    public record Phase(BoundaryShare share, Map<String, Double> joulesByProcess) {
    }

    private MeshEnergy() {
    }

    /** Each process's latest report, the topic read to its end. */
    public static Map<String, ProcessEnergy> latest(KafkaAccess kafka) throws InterruptedException {
        Map<String, ProcessEnergy> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = MeshClients.reader(kafka, "bench-energy")) {
            List<TopicPartition> partitions = MeshTopics.partitions(c, MeshTopic.PROCESS_ENERGY, Duration.ofSeconds(10));
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        try {
                            latest.put(r.key(), ProcessEnergy.parseFrom(r.value()));
                        } catch (InvalidProtocolBufferException e) {
                            throw new IllegalStateException("unreadable energy report of " + r.key() + ": " + e.getMessage(), e);
                        }
                    }
                }
            }
        }
        return latest;
    }

    /**
     * Between two readings, over the processes that reported in both within one run; empty where no image was served.
     * Each process's interval is its own (reports every few seconds), so the window is their mean length.
     */
    public static Optional<Phase> between(Map<String, ProcessEnergy> before, Map<String, ProcessEnergy> after, double gramsPerKwh) {
        List<BoundaryLedger.Interval> intervals = new ArrayList<>();
        Map<String, Double> byProcess = new TreeMap<>();
        double seconds = 0;
        for (ProcessEnergy to : after.values()) {
            ProcessEnergy from = before.get(to.getProcess());
            if (from == null || !from.getStarted().equals(to.getStarted()) || from.getSent().equals(to.getSent())) {
                continue;
            }
            intervals.add(new BoundaryLedger.Interval(from, to));
            byProcess.put(to.getProcess(), to.getEnergy().getJoules() - from.getEnergy().getJoules());
            seconds += Duration.between(ProtoTime.instant(from.getSent()), ProtoTime.instant(to.getSent())).toNanos() / 1e9;
        }
        if (intervals.isEmpty()) {
            return Optional.empty();
        }
        Duration window = Duration.ofNanos(Math.round(seconds / intervals.size() * 1e9));
        return BoundaryLedger.over(intervals, window, region -> gramsPerKwh).map(share -> new Phase(share, byProcess));
    }
}

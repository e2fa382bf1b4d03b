package io.un0.proto;

import java.time.Duration;
import java.util.List;

/**
 * Every Kafka topic of the mesh, in one place: name, partitions, and how long records live. Services create
 * them at start with exactly these settings. Assignment topics are per pool: see {@link #assignments(String)}.
 *
 * @param retention how long records are kept; compacted topics keep the latest record per key for good
 */
public record MeshTopic(String name, int partitions, Duration retention, boolean compacted) {

    public static final MeshTopic JOBS = new MeshTopic("un0.jobs.v1", 6, Duration.ofDays(1), false);
    public static final MeshTopic RESULTS = new MeshTopic("un0.results.v1", 6, Duration.ofDays(1), false);
    public static final MeshTopic HEARTBEATS = new MeshTopic("un0.heartbeats.v1", 1, Duration.ofHours(1), true);
    public static final MeshTopic DECISIONS = new MeshTopic("un0.decisions.v1", 3, Duration.ofDays(7), false);
    public static final MeshTopic BATCH_SUBMISSIONS = new MeshTopic("un0.batch-submissions.v1", 3, Duration.ofDays(7), false);
    public static final MeshTopic DEAD_LETTERS = new MeshTopic("un0.dead-letters.v1", 1, Duration.ofDays(30), false);

    public static final List<MeshTopic> FIXED = List.of(JOBS, RESULTS, HEARTBEATS, DECISIONS, BATCH_SUBMISSIONS, DEAD_LETTERS);

    public MeshTopic {
        if (!name.matches("[a-z0-9._-]+") || partitions < 1) {
            throw new IllegalArgumentException("invalid topic " + name + " with " + partitions + " partitions");
        }
    }

    /**
     * The assignment topic of one pool: its workers consume only their own. Twelve partitions share out evenly
     * among 1, 2, 3, 4, 6 or 12 workers (with three, two workers would do the work of three between them 2:1).
     */
    public static MeshTopic assignments(String pool) {
        return new MeshTopic("un0.assignments." + pool + ".v1", 12, Duration.ofDays(1), false);
    }
}

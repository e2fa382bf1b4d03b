package io.un0.proto;

import io.un0.proto.v1.Priority;
import java.time.Duration;
import java.util.List;

/**
 * Every Kafka topic of the mesh, in one place: name, partitions, and how long records live. Services create
 * them at start with exactly these settings. Assignment topics are per pool and lane: see {@link #assignmentLanes(String)}.
 *
 * @param retention how long records are kept; compacted topics keep the latest record per key for good
 * @param retentionBytes the most bytes a partition keeps, the oldest records deleted first; -1 for no bound
 */
public record MeshTopic(String name, int partitions, Duration retention, boolean compacted, long retentionBytes) {

    /** Batch and deferrable jobs, on their way to the schedulers; held and deferred ones keep their partition's number. */
    public static final MeshTopic JOBS = new MeshTopic("un0.jobs.v1", 6, Duration.ofDays(1), false);
    /**
     * Interactive jobs, on a topic of their own so that a caller's job is not read after a batch's thousands written
     * just before it: the schedulers read it first. Never held nor deferred (one no pool can take now is shed), so it
     * has no deferred partitions to match.
     */
    public static final MeshTopic INTERACTIVE_JOBS = new MeshTopic("un0.interactive-jobs.v1", 6, Duration.ofDays(1), false);
    /**
     * Results, images included: the gateway fetches batch images from here rather than holding them. Kept for longer
     * than the longest default batch deadline plus the batch retention (the gateway checks at start), and bounded on
     * disk at 2 GiB a partition, 12 GiB in all.
     */
    public static final MeshTopic RESULTS = new MeshTopic("un0.results.v1", 6, Duration.ofDays(2), false, 2L << 30);
    public static final MeshTopic HEARTBEATS = new MeshTopic("un0.heartbeats.v1", 1, Duration.ofHours(1), true);
    /** How long the records a sustainability report reads are kept: a year's report, with a month to file it in. */
    public static final Duration REPORTING_RETENTION = Duration.ofDays(400);
    /** Why each job went where it went: the audit trail, and the routing half of the sustainability reports. */
    public static final MeshTopic DECISIONS = new MeshTopic("un0.decisions.v1", 3, REPORTING_RETENTION, false);
    /**
     * Every result without its images ({@link JobResults#account}), keyed as the results: the accounting half of the
     * sustainability reports, kept long after {@link #RESULTS} has let the images go.
     */
    public static final MeshTopic ACCOUNTING = new MeshTopic("un0.accounting.v1", 6, REPORTING_RETENTION, false);
    public static final MeshTopic BATCH_SUBMISSIONS = new MeshTopic("un0.batch-submissions.v1", 3, Duration.ofDays(7), false);
    public static final MeshTopic DEAD_LETTERS = new MeshTopic("un0.dead-letters.v1", 1, Duration.ofDays(30), false);
    /** Operators' caps, keyed {@code site/<name>} or {@code pool/<name>}; one partition keeps every change in order. */
    public static final MeshTopic POWER_BUDGETS = new MeshTopic("un0.power-budgets.v1", 1, Duration.ofDays(30), true);
    /**
     * Jobs the scheduler holds, for a greener hour or for room in a pool, by job id. As many partitions as
     * {@link #JOBS}: a held job goes to the partition number it was read from, so the scheduler that owns a job
     * partition owns its held jobs.
     */
    public static final MeshTopic DEFERRED = new MeshTopic("un0.deferred.v1", JOBS.partitions(), Duration.ofDays(7), true);
    /** Each region's grid carbon intensity and forecast, by region. */
    public static final MeshTopic GRID_SIGNALS = new MeshTopic("un0.grid-signals.v1", 1, Duration.ofDays(1), true);

    /**
     * What each process of the mesh has drawn since it started (un0.mesh.v1.ProcessEnergy), by process; the schedulers
     * read it whole to share the mesh's own energy out among the images it serves.
     */
    public static final MeshTopic PROCESS_ENERGY = new MeshTopic("un0.process-energy.v1", 1, Duration.ofDays(1), true);

    /** Tenants' quotas (un0.v1.Quota), keyed by tenant; every gateway instance reads it whole. */
    public static final MeshTopic QUOTAS = new MeshTopic("un0.quotas.v1", 1, Duration.ofDays(30), true);

    /**
     * The schedulers' leases of routes for interactive jobs (un0.mesh.v1.Lease), keyed by gateway instance: each gateway
     * reads its own, and assigns the jobs that fit it without the hop through a scheduler.
     */
    public static final MeshTopic LEASES = new MeshTopic("un0.leases.v1", 1, Duration.ofDays(1), true);

    /** What the schedulers read, interactive first. */
    public static final List<MeshTopic> JOB_TOPICS = List.of(INTERACTIVE_JOBS, JOBS);

    /** The consumer group of the schedulers, which read {@link #JOB_TOPICS}: with no member, no job is routed. */
    public static final String SCHEDULER_GROUP = "un0-scheduler";

    /** What each scheduler's transactional id begins with (then its instance name): its passes are transactions. */
    public static final String SCHEDULER_TRANSACTIONS = "un0-scheduler-";

    /** What each gateway's batch expander's transactional id begins with (then its instance id). */
    public static final String GATEWAY_TRANSACTIONS = "un0-gateway-";

    /** What the names of every pool's interactive lane begin with: gateways write there under a lease. */
    public static final String INTERACTIVE_LANES = "un0.interactive-assignments.";
    private static final String QUEUED_LANE_PREFIX = "un0.assignments.";
    /** What the names of every pool's assignment lanes begin with, interactive first: for grants by prefix. */
    public static final List<String> ASSIGNMENT_PREFIXES = List.of(INTERACTIVE_LANES, QUEUED_LANE_PREFIX);

    public static final List<MeshTopic> FIXED = List.of(JOBS, INTERACTIVE_JOBS, RESULTS, ACCOUNTING, HEARTBEATS, DECISIONS, BATCH_SUBMISSIONS, DEAD_LETTERS,
            POWER_BUDGETS, DEFERRED, GRID_SIGNALS, QUOTAS, PROCESS_ENERGY, LEASES);

    public MeshTopic(String name, int partitions, Duration retention, boolean compacted) {
        this(name, partitions, retention, compacted, -1);
    }

    public MeshTopic {
        if (!name.matches("[a-z0-9._-]+") || partitions < 1) {
            throw new IllegalArgumentException("invalid topic " + name + " with " + partitions + " partitions");
        }
    }

    /**
     * The queued lane of one pool's assignments: batch and deferrable jobs. Its workers consume only their own pool's
     * lanes. Twelve partitions share out evenly among 1, 2, 3, 4, 6 or 12 workers (with three, two workers would do
     * the work of three between them 2:1).
     */
    public static MeshTopic assignments(String pool) {
        return new MeshTopic(QUEUED_LANE_PREFIX + pool + ".v1", 12, Duration.ofDays(1), false);
    }

    /**
     * The interactive lane of one pool's assignments: its workers take what it holds before any queued work, so that
     * a caller who waits is not queued behind a backlog of batches. A prefix of its own, for no pool name can make it
     * collide with another pool's queued lane.
     */
    public static MeshTopic interactiveAssignments(String pool) {
        return new MeshTopic(INTERACTIVE_LANES + pool + ".v1", 12, Duration.ofDays(1), false);
    }

    /** Both lanes of a pool, interactive first. */
    public static List<MeshTopic> assignmentLanes(String pool) {
        return List.of(interactiveAssignments(pool), assignments(pool));
    }

    /** The topic a job of this priority travels to the schedulers. */
    public static MeshTopic jobs(Priority priority) {
        return priority == Priority.PRIORITY_INTERACTIVE ? INTERACTIVE_JOBS : JOBS;
    }

    /** The lane a job of this priority travels to its pool's workers. */
    public static MeshTopic assignments(String pool, Priority priority) {
        return priority == Priority.PRIORITY_INTERACTIVE ? interactiveAssignments(pool) : assignments(pool);
    }
}

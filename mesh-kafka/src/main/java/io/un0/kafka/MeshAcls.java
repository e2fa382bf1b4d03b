package io.un0.kafka;

import io.un0.proto.MeshTopic;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each kind of principal may do on the mesh's broker, as ACLs for Kafka's {@code StandardAuthorizer}: every
 * service reads and writes only the topics its code does, and a batch submitter may only write submissions and read
 * results. Anything not granted is refused by the broker.
 */
public final class MeshAcls {

    /** The kinds of principal; one principal (a SCRAM user) per service instance kind or per submitter. */
    public enum Role {
        GATEWAY,
        SCHEDULER,
        WORKER,
        SUBMITTER
    }

    private static final String EVERY_MESH_TOPIC = "un0.";
    /** Workers' groups, one per pool ({@code un0-pool-<pool>}). */
    private static final String POOL_GROUPS = "un0-pool-";
    /** The gateway's batch expanders' group. */
    private static final String GATEWAY_BATCH_GROUP = "un0-gateway-batches";

    private MeshAcls() {
    }

    /** The ACLs of {@code user}, a principal of the kind {@code role}. */
    public static List<AclBinding> of(Role role, String user) {
        Grants g = new Grants("User:" + user);
        if (role != Role.SUBMITTER) {
            // Services create the topics they need at start (existing ones are left alone) and dead-letter what they cannot read.
            g.prefixed(ResourceType.TOPIC, EVERY_MESH_TOPIC, AclOperation.CREATE, AclOperation.DESCRIBE);
            g.topic(MeshTopic.DEAD_LETTERS, AclOperation.WRITE);
            // Every service meters itself and says so (the scheduler shares the mesh's own energy out per image).
            g.topic(MeshTopic.PROCESS_ENERGY, AclOperation.WRITE);
        }
        switch (role) {
            case GATEWAY -> {
                MeshTopic.JOB_TOPICS.forEach(t -> g.topic(t, AclOperation.WRITE));
                g.topic(MeshTopic.RESULTS, AclOperation.READ);
                g.topic(MeshTopic.BATCH_SUBMISSIONS, AclOperation.READ, AclOperation.WRITE);
                g.topic(MeshTopic.QUOTAS, AclOperation.READ, AclOperation.WRITE);
                g.literal(ResourceType.GROUP, GATEWAY_BATCH_GROUP, AclOperation.READ);
                // Interactive jobs under a scheduler's lease: the gateway writes their assignments and decisions itself.
                g.topic(MeshTopic.LEASES, AclOperation.READ);
                g.prefixed(ResourceType.TOPIC, MeshTopic.INTERACTIVE_LANES, AclOperation.WRITE);
                g.topic(MeshTopic.DECISIONS, AclOperation.WRITE);
                // Whether a scheduler runs: the schedulers' group has a member.
                g.literal(ResourceType.GROUP, MeshTopic.SCHEDULER_GROUP, AclOperation.DESCRIBE);
                // A batch's jobs and its submission's offset are one transaction.
                g.prefixed(ResourceType.TRANSACTIONAL_ID, MeshTopic.GATEWAY_TRANSACTIONS, AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case SCHEDULER -> {
                MeshTopic.JOB_TOPICS.forEach(t -> g.topic(t, AclOperation.READ));
                g.literal(ResourceType.GROUP, MeshTopic.SCHEDULER_GROUP, AclOperation.READ);
                // Batch submissions for their cancellations: held and deferred jobs of a cancelled batch are dropped.
                // Decisions and the results' accounts for the fleet console's last hour and the sustainability reports.
                for (MeshTopic t : List.of(MeshTopic.HEARTBEATS, MeshTopic.GRID_SIGNALS, MeshTopic.POWER_BUDGETS, MeshTopic.DEFERRED,
                        MeshTopic.BATCH_SUBMISSIONS, MeshTopic.PROCESS_ENERGY, MeshTopic.DECISIONS, MeshTopic.ACCOUNTING)) {
                    g.topic(t, AclOperation.READ);
                }
                for (MeshTopic t : List.of(MeshTopic.DECISIONS, MeshTopic.DEFERRED, MeshTopic.RESULTS, MeshTopic.ACCOUNTING, MeshTopic.GRID_SIGNALS,
                        MeshTopic.POWER_BUDGETS, MeshTopic.LEASES)) {
                    g.topic(t, AclOperation.WRITE);
                }
                MeshTopic.ASSIGNMENT_PREFIXES.forEach(lanes -> g.prefixed(ResourceType.TOPIC, lanes, AclOperation.WRITE));
                // Each pass, its outputs and its jobs' offsets, is one transaction.
                g.prefixed(ResourceType.TRANSACTIONAL_ID, MeshTopic.SCHEDULER_TRANSACTIONS, AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case WORKER -> {
                MeshTopic.ASSIGNMENT_PREFIXES.forEach(lanes -> g.prefixed(ResourceType.TOPIC, lanes, AclOperation.READ));
                g.prefixed(ResourceType.GROUP, POOL_GROUPS, AclOperation.READ);
                g.topic(MeshTopic.RESULTS, AclOperation.WRITE);
                g.topic(MeshTopic.ACCOUNTING, AclOperation.WRITE);
                g.topic(MeshTopic.HEARTBEATS, AclOperation.WRITE);
            }
            case SUBMITTER -> {
                g.topic(MeshTopic.BATCH_SUBMISSIONS, AclOperation.WRITE);
                g.topic(MeshTopic.RESULTS, AclOperation.READ);
            }
        }
        return g.bindings;
    }

    private static final class Grants {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            this.principal = principal;
        }

        void topic(MeshTopic topic, AclOperation... operations) {
            literal(ResourceType.TOPIC, topic.name(), operations);
        }

        void literal(ResourceType type, String name, AclOperation... operations) {
            add(new ResourcePattern(type, name, PatternType.LITERAL), operations);
        }

        void prefixed(ResourceType type, String prefix, AclOperation... operations) {
            add(new ResourcePattern(type, prefix, PatternType.PREFIXED), operations);
        }

        private void add(ResourcePattern resource, AclOperation... operations) {
            for (AclOperation op : operations) {
                bindings.add(new AclBinding(resource, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
    }
}

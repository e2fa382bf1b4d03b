package io.un0.gateway.leases;

import io.un0.gateway.GatewayInstance;
import io.un0.proto.Leases;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * This gateway's lease of the interactive route, as the compacted leases topic says (read by ResultReader): the jobs
 * that fit it are assigned here, straight to the pool's interactive lane, with the decision recorded beside them, up
 * to the lease's images; the rest go to the schedulers. A renewed lease starts its count again.
 */
@ApplicationScoped
public class LeaseBook {

    private final GatewayInstance instance;
    private Lease lease;
    private int used;

    public LeaseBook(GatewayInstance instance) {
        this.instance = instance;
    }

    /** @param lease null for a tombstone: no lease any more */
    public synchronized void read(String gateway, Lease lease) {
        if (gateway.equals(instance.id())) {
            this.lease = lease;
            used = 0;
        }
    }

    /**
     * The records that send {@code job} on: its assignment and decision under the lease when it fits and room is
     * left (one of the lease's images is then taken), else the job itself for a scheduler.
     */
    public List<ProducerRecord<String, byte[]>> route(Job job, Instant now) {
        Lease applied;
        synchronized (this) {
            if (lease == null || used >= lease.getImages() || !Leases.fits(lease, job, now)) {
                return List.of(new ProducerRecord<>(MeshTopic.jobs(job.getPriority()).name(), job.getJobId(), job.toByteArray()));
            }
            used++;
            applied = lease;
        }
        String decisionId = UUID.randomUUID().toString();
        String pool = applied.getDecision().getChosen().getPool();
        return List.of(
                new ProducerRecord<>(MeshTopic.interactiveAssignments(pool).name(), job.getJobId(),
                        Leases.assignment(applied, job, decisionId, now).toByteArray()),
                new ProducerRecord<>(MeshTopic.DECISIONS.name(), job.getJobId(), Leases.decision(applied, job, decisionId, now).toByteArray()));
    }
}

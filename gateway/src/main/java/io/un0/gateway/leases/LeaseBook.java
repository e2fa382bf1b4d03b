package io.un0.gateway.leases;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.un0.gateway.GatewayInstance;
import io.un0.kafka.TraceHeaders;
import io.un0.proto.Leases;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    private final String gateway;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private Lease lease;
    private int used;

    @Inject
    public LeaseBook(GatewayInstance instance, OpenTelemetry otel) {
        this(instance.id(), otel);
    }

    /** @param gateway this gateway's instance id, which its lease is keyed by */
    LeaseBook(String gateway, OpenTelemetry otel) {
        this.gateway = gateway;
        this.otel = otel;
        this.tracer = otel.getTracer("io.un0.gateway");
    }

    /** @param lease null for a tombstone: no lease any more */
    public synchronized void read(String leasedTo, Lease lease) {
        if (leasedTo.equals(gateway)) {
            this.lease = lease;
            used = 0;
        }
    }

    /**
     * The records that send {@code job} on: its assignment and decision under the lease when it fits and room is
     * left (one of the lease's images is then taken), else the job itself for a scheduler. Records sent under the
     * lease carry the context of a span that stands for the decision, in the trace where the scheduler's would be.
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
        List<ProducerRecord<String, byte[]>> records = List.of(
                new ProducerRecord<>(MeshTopic.interactiveAssignments(pool).name(), job.getJobId(),
                        Leases.assignment(applied, job, decisionId, now).toByteArray()),
                new ProducerRecord<>(MeshTopic.DECISIONS.name(), job.getJobId(), Leases.decision(applied, job, decisionId, now).toByteArray()));
        Span span = tracer.spanBuilder("un0.gateway.lease").setAttribute("un0.job_id", job.getJobId()).setAttribute("un0.pool", pool)
                .setAttribute("un0.lease_id", applied.getLeaseId()).setAttribute("un0.scheduler", applied.getDecision().getScheduler())
                .setAttribute("un0.route.reason", applied.getDecision().getReason()).startSpan();
        try {
            records.forEach(r -> TraceHeaders.inject(otel, Context.current().with(span), r.headers()));
        } finally {
            span.end();
        }
        return records;
    }
}

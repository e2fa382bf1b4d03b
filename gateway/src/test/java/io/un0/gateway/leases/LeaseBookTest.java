package io.un0.gateway.leases;

import io.opentelemetry.api.OpenTelemetry;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.Lease;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Quality;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaseBookTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private final LeaseBook book = new LeaseBook("gw-a", OpenTelemetry.noop());

    private static Lease lease(String gateway, int images) {
        Decision route = Decision.newBuilder().setKind(DecisionKind.DECISION_KIND_ASSIGN).setPolicy("carbon-aware").setScheduler("s-1")
                .setReason("least gCO2e").setChosen(Alternative.newBuilder().setPool("edge").setPrecision(Precision.PRECISION_INT8).setSteps(1)
                        .setExpectedSeconds(0.01)).build();
        return Lease.newBuilder().setLeaseId("lease-" + images).setGateway(gateway).setDecision(route).setRegion("ES")
                .setQuality(Quality.getDefaultInstance()).setImages(images).setExpires(ProtoTime.timestamp(NOW.plusSeconds(1))).build();
    }

    private static Job job(String id, int count) {
        return Job.newBuilder().setJobId(id).setCount(count).setPriority(Priority.PRIORITY_INTERACTIVE).setQuality(Quality.getDefaultInstance())
                .setDeadline(ProtoTime.timestamp(NOW.plusSeconds(30))).setReplyTo("gw-a").build();
    }

    private static List<String> topics(List<ProducerRecord<String, byte[]>> records) {
        return records.stream().map(ProducerRecord::topic).toList();
    }

    private static final List<String> TO_A_SCHEDULER = List.of(MeshTopic.INTERACTIVE_JOBS.name());
    private static final List<String> UNDER_THE_LEASE = List.of(MeshTopic.interactiveAssignments("edge").name(), MeshTopic.DECISIONS.name());

    @Test
    void withoutALeaseOfItsOwnTheJobGoesToTheSchedulers() {
        assertEquals(TO_A_SCHEDULER, topics(book.route(job("j-1", 1), NOW)));
        book.read("gw-b", lease("gw-b", 5));
        assertEquals(TO_A_SCHEDULER, topics(book.route(job("j-1", 1), NOW)));
    }

    @Test
    void jobsThatFitAreAssignedHereUpToTheLeasesImagesAndARenewalStartsTheCountAgain() throws Exception {
        book.read("gw-a", lease("gw-a", 2));
        List<ProducerRecord<String, byte[]>> first = book.route(job("j-1", 1), NOW);
        assertEquals(UNDER_THE_LEASE, topics(first));
        Assignment assignment = Assignment.parseFrom(first.get(0).value());
        Decision decision = Decision.parseFrom(first.get(1).value());
        assertEquals("j-1", first.get(0).key());
        assertEquals(decision.getDecisionId(), assignment.getDecisionId());
        assertEquals("lease-2", decision.getLeaseId());
        assertEquals("gw-a", decision.getGateway());
        assertEquals(TO_A_SCHEDULER, topics(book.route(job("j-big", 3), NOW)), "a job the lease was not decided for takes none of its room");
        assertEquals(UNDER_THE_LEASE, topics(book.route(job("j-2", 1), NOW)));
        assertEquals(TO_A_SCHEDULER, topics(book.route(job("j-3", 1), NOW)), "the lease's images are used up");
        book.read("gw-a", lease("gw-a", 1));
        assertEquals(UNDER_THE_LEASE, topics(book.route(job("j-4", 1), NOW)));
        book.read("gw-a", null);
        assertEquals(TO_A_SCHEDULER, topics(book.route(job("j-5", 1), NOW)));
    }
}

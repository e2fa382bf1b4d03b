package io.un0.proto;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.QualityTier;
import java.util.Collections;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContractsTest {

    @Test
    void batchSubmissionReadsFromItsDocumentedJson() throws Exception {
        String json = """
                {"batchId": "b-1", "items": [{"className": "sneaker", "count": 4}, {"classId": 8, "count": 2, "seed": "7"}],
                 "quality": {"steps": 1}, "deadline": "2026-11-26T06:00:00Z", "deferrable": true, "allowedRegions": ["ES", "NO"]}
                """;
        BatchSubmission.Builder b = BatchSubmission.newBuilder();
        JsonFormat.parser().merge(json, b);
        BatchSubmission s = b.build();
        assertEquals(2, s.getItemsCount());
        assertEquals("sneaker", s.getItems(0).getClassName());
        assertEquals(7L, s.getItems(1).getSeed());
        assertTrue(s.getDeferrable());
        assertEquals(1, s.getQuality().getSteps());
    }

    @Test
    void unknownJsonFieldIsAPreciseError() {
        InvalidProtocolBufferException e = assertThrows(InvalidProtocolBufferException.class,
                () -> JsonFormat.parser().merge("{\"batchId\": \"b\", \"colour\": 3}", BatchSubmission.newBuilder()));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }

    @Test
    void requestRoundTripsOnTheWire() throws Exception {
        GenerateRequest r = GenerateRequest.newBuilder().setClassName("bag").setCount(3).setSeed(42)
                .setQuality(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_DRAFT)).build();
        assertEquals(r, GenerateRequest.parseFrom(r.toByteArray()));
        assertTrue(r.hasSeed());
    }

    @Test
    void topicNamesAreFixedAndPoolTopicsDerived() {
        assertEquals(14, MeshTopic.FIXED.size());
        assertEquals(MeshTopic.FIXED.size(), MeshTopic.FIXED.stream().map(MeshTopic::name).distinct().count());
        assertEquals("un0.assignments.edge-es.v1", MeshTopic.assignments("edge-es").name());
        assertEquals("un0.interactive-assignments.edge-es.v1", MeshTopic.assignments("edge-es", Priority.PRIORITY_INTERACTIVE).name());
        assertEquals(MeshTopic.assignments("edge-es"), MeshTopic.assignments("edge-es", Priority.PRIORITY_BATCH));
        assertEquals(MeshTopic.INTERACTIVE_JOBS, MeshTopic.jobs(Priority.PRIORITY_INTERACTIVE));
        assertEquals(MeshTopic.JOBS, MeshTopic.jobs(Priority.PRIORITY_DEFERRABLE));
        assertEquals(MeshTopic.JOBS, MeshTopic.jobs(Priority.PRIORITY_BATCH));
        // A pool named like another pool's lane still has topics of its own.
        assertTrue(Collections.disjoint(MeshTopic.assignmentLanes("p"), MeshTopic.assignmentLanes("p.interactive")));
        assertTrue(MeshTopic.HEARTBEATS.compacted());
        // Latest value per key, kept for good: budgets, signals and held jobs must outlive any retention.
        assertTrue(MeshTopic.POWER_BUDGETS.compacted() && MeshTopic.GRID_SIGNALS.compacted() && MeshTopic.DEFERRED.compacted()
                && MeshTopic.QUOTAS.compacted());
        // The results topic holds batch images until fetched: bounded on disk, and longer than a batch may run and be kept.
        assertTrue(MeshTopic.RESULTS.retentionBytes() > 0);
        assertEquals(MeshTopic.JOBS.partitions(), MeshTopic.DEFERRED.partitions(), "a deferral goes to its job's partition number");
        assertThrows(IllegalArgumentException.class, () -> MeshTopic.assignments("Edge ES"));
    }
}

package io.un0.gateway.batches;

import io.un0.gateway.kafka.RecordPlace;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images go out in item order however the items finish, and a batch reports the deadline it runs under. */
class BatchProgressTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant DEFAULT_DEADLINE = T0.plus(Duration.ofHours(24));

    private static BatchProgress submitted(int items) {
        BatchProgress p = new BatchProgress("b", T0);
        BatchSubmission.Builder s = BatchSubmission.newBuilder().setBatchId("b");
        for (int i = 0; i < items; i++) {
            s.addItems(BatchItem.newBuilder().setClassId(1));
        }
        p.submitted(s.build(), T0, DEFAULT_DEADLINE, new BatchTracker.FirstSubmission(new RecordPlace(0, 0), BatchTracker.fingerprint(s.build())));
        return p;
    }

    private static void finish(BatchProgress p, int item, boolean ok) {
        JobResult r = JobResult.newBuilder().setBatchId("b").setItemIndex(item)
                .setStatus(ok ? JobStatus.JOB_STATUS_SUCCEEDED : JobStatus.JOB_STATUS_FAILED).build();
        // Item i's result is written at offset 100 + i: the offsets released name the items.
        p.result(r, new RecordPlace(0, 100 + item), T0);
    }

    private static List<Integer> released(BatchProgress p) {
        try {
            return p.releasedFrom(0, Duration.ZERO).places().stream().map(place -> (int) place.offset() - 100).toList();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void imagesFollowItemOrderWhateverOrderItemsFinishIn() {
        BatchProgress p = submitted(4);
        finish(p, 2, true);
        finish(p, 3, true);
        assertEquals(List.of(), released(p), "items 2 and 3 wait for items 0 and 1");
        finish(p, 0, true);
        assertEquals(List.of(0), released(p));
        finish(p, 1, false);
        assertEquals(List.of(0, 2, 3), released(p), "a failed item has no image but no longer holds the others back");
    }

    @Test
    void aFetchWaitsForTheNextItemAndLearnsWhenTheBatchEnds() throws Exception {
        BatchProgress p = submitted(2);
        finish(p, 0, true);
        BatchProgress.Released first = p.releasedFrom(0, Duration.ZERO);
        assertEquals(1, first.places().size());
        assertFalse(first.ended());
        Thread later = new Thread(() -> finish(p, 1, true));
        later.start();
        BatchProgress.Released rest = p.releasedFrom(1, Duration.ofSeconds(30));
        later.join();
        assertEquals(List.of(new RecordPlace(0, 101)), rest.places(), "woken by the item that finished");
        assertTrue(p.releasedFrom(2, Duration.ofSeconds(30)).ended(), "nothing more comes: it answers at once");
    }

    @Test
    void aCancelledBatchReleasesWhatFinishedInItemOrder() {
        BatchProgress p = submitted(3);
        finish(p, 2, true);
        finish(p, 0, true);
        p.cancel(T0);
        assertEquals(List.of(0, 2), released(p));
    }

    @Test
    void aBatchWithoutItsOwnDeadlineReportsTheOneItRunsUnder() {
        assertEquals(ProtoTime.timestamp(DEFAULT_DEADLINE), submitted(1).snapshot().getDeadline());
    }
}

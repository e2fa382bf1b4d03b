package io.un0.gateway.batches;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.un0.proto.ProtoTime;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.Image;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        p.submitted(s.build(), T0, DEFAULT_DEADLINE, new BatchTracker.FirstSubmission(new BatchTracker.Place(0, 0), BatchTracker.fingerprint(s.build())));
        return p;
    }

    private static void finish(BatchProgress p, int item, boolean ok) {
        JobResult r = JobResult.newBuilder().setBatchId("b").setItemIndex(item)
                .setStatus(ok ? JobStatus.JOB_STATUS_SUCCEEDED : JobStatus.JOB_STATUS_FAILED).build();
        p.result(r, ok ? List.of(BatchImage.newBuilder().setItemIndex(item).setImage(Image.newBuilder().setIndex(0)).build()) : List.of(), T0);
    }

    private static List<Integer> follow(BatchProgress p, List<Integer> seen) {
        p.follow(new BatchProgress.ImageWatcher(image -> seen.add((int) image.getItemIndex()), () -> { }));
        return seen;
    }

    @Test
    void imagesFollowItemOrderWhateverOrderItemsFinishIn() {
        BatchProgress p = submitted(4);
        List<Integer> live = follow(p, new ArrayList<>());
        finish(p, 2, true);
        finish(p, 3, true);
        assertEquals(List.of(), live, "items 2 and 3 wait for items 0 and 1");
        finish(p, 0, true);
        assertEquals(List.of(0), live);
        finish(p, 1, false);
        assertEquals(List.of(0, 2, 3), live, "a failed item has no image but no longer holds the others back");
        assertEquals(List.of(0, 2, 3), follow(p, new ArrayList<>()), "a later fetch sees the same order");
    }

    @Test
    void aCancelledBatchReleasesWhatFinishedInItemOrder() {
        BatchProgress p = submitted(3);
        finish(p, 2, true);
        finish(p, 0, true);
        p.cancel(T0);
        assertEquals(List.of(0, 2), follow(p, new ArrayList<>()));
    }

    @Test
    void aBatchWithoutItsOwnDeadlineReportsTheOneItRunsUnder() {
        assertEquals(ProtoTime.timestamp(DEFAULT_DEADLINE), submitted(1).snapshot().getDeadline());
    }
}

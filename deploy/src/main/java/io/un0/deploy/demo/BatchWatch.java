package io.un0.deploy.demo;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchState;
import io.un0.proto.v1.BatchesGrpc;
import io.un0.proto.v1.GetBatchRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Follows a batch over gRPC until it ends, as a client of the Batches API does. */
public final class BatchWatch {

    private BatchWatch() {
    }

    /**
     * Waits until the gateway knows the batch (it learns a submission by reading it back from Kafka), then watches
     * it to its end.
     *
     * @throws IllegalStateException when the batch does not end SUCCEEDED
     */
    public static BatchEvent untilSucceeded(ManagedChannel channel, String batchId) throws InterruptedException {
        BatchEvent last = untilEnded(channel, batchId, event -> { });
        if (last.getBatch().getState() != BatchState.BATCH_STATE_SUCCEEDED) {
            throw new IllegalStateException("batch " + batchId + " ended " + last.getBatch());
        }
        return last;
    }

    /**
     * As {@link #untilSucceeded}, whatever state the batch ends in, handing every event to {@code onEvent} as it comes.
     *
     * @return the last event, which carries the batch's final state
     * @throws IllegalStateException when the watch ends without an event
     */
    public static BatchEvent untilEnded(ManagedChannel channel, String batchId, Consumer<BatchEvent> onEvent) throws InterruptedException {
        GetBatchRequest request = GetBatchRequest.newBuilder().setBatchId(batchId).build();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).getBatch(request);
                break;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND || System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        BatchEvent last = null;
        Iterator<BatchEvent> events = BatchesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.MINUTES).watchBatch(request);
        while (events.hasNext()) {
            last = events.next();
            onEvent.accept(last);
        }
        if (last == null) {
            throw new IllegalStateException("batch " + batchId + " ended without events");
        }
        return last;
    }
}

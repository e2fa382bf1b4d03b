package io.un0.gateway.batches;

import io.un0.proto.v1.BatchState;

/** Which batch states are final. */
final class BatchStates {

    private BatchStates() {
    }

    static boolean terminal(BatchState s) {
        return s == BatchState.BATCH_STATE_SUCCEEDED || s == BatchState.BATCH_STATE_FAILED || s == BatchState.BATCH_STATE_CANCELLED;
    }
}

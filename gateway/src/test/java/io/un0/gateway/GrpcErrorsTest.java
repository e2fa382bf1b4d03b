package io.un0.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The failure kind picks the status, and a retry hint only where a retry can succeed. */
class GrpcErrorsTest {

    private static StatusRuntimeException failed(FailureKind kind) {
        return GrpcErrors.failed(JobResult.newBuilder().setJobId("j").setFailure(kind).setError("why").build(), Duration.ofSeconds(5));
    }

    private static long retryHints(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(d -> d.is(RetryInfo.class)).count();
    }

    @Test
    void aJobNoLivePoolMayTakeIsAPreconditionNotAShortage() {
        StatusRuntimeException unsatisfiable = failed(FailureKind.FAILURE_KIND_UNSATISFIABLE);
        assertEquals(Status.Code.FAILED_PRECONDITION, unsatisfiable.getStatus().getCode());
        assertEquals(0, retryHints(unsatisfiable), "retrying the same request cannot help");
        StatusRuntimeException busy = failed(FailureKind.FAILURE_KIND_NO_CAPACITY);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.getStatus().getCode());
        assertEquals(1, retryHints(busy));
        assertEquals(Status.Code.INVALID_ARGUMENT, failed(FailureKind.FAILURE_KIND_REJECTED).getStatus().getCode());
    }
}

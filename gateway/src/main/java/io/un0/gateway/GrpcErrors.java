package io.un0.gateway;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.v1.JobResult;

import java.time.Duration;

/** A job the mesh gave up on, as the gRPC status its caller can act upon: the failure kind picks the status. */
public final class GrpcErrors {

    private GrpcErrors() {
    }

    public static StatusRuntimeException failed(JobResult result, Duration retryAfter) {
        return switch (result.getFailure()) {
            case FAILURE_KIND_NO_CAPACITY -> GrpcStatuses.retryLater(Code.RESOURCE_EXHAUSTED, result.getError(), retryAfter);
            case FAILURE_KIND_REJECTED -> GrpcStatuses.plain(Code.INVALID_ARGUMENT, result.getError());
            case FAILURE_KIND_UNSATISFIABLE -> GrpcStatuses.plain(Code.FAILED_PRECONDITION, result.getError());
            case FAILURE_KIND_CANCELLED -> GrpcStatuses.plain(Code.CANCELLED, result.getError());
            default -> GrpcStatuses.plain(Code.INTERNAL, "job " + result.getJobId() + " failed: " + result.getError());
        };
    }
}

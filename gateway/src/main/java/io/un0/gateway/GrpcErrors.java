package io.un0.gateway;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.un0.gateway.validation.Violation;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.JobResult;

import java.time.Duration;
import java.util.List;

/**
 * The gateway's answers when it cannot serve a call, with the standard rich details any gRPC client can read:
 * {@code google.rpc.BadRequest} naming each field, {@code google.rpc.RetryInfo} saying when to come back.
 */
public final class GrpcErrors {

    private GrpcErrors() {
    }

    public static StatusRuntimeException invalid(List<Violation> violations) {
        BadRequest.Builder details = BadRequest.newBuilder();
        violations.forEach(v -> details.addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description())));
        return status(Code.INVALID_ARGUMENT, String.join("; ", violations.stream().map(Violation::toString).toList()), Any.pack(details.build()));
    }

    public static StatusRuntimeException unavailable(String why, Duration retryAfter) {
        return status(Code.UNAVAILABLE, why + "; retry in " + retryAfter.toSeconds() + " s", retry(retryAfter));
    }

    public static StatusRuntimeException notFound(String what) {
        return status(Code.NOT_FOUND, what, null);
    }

    public static StatusRuntimeException deadlineExceeded(String why) {
        return status(Code.DEADLINE_EXCEEDED, why, null);
    }

    /** A job the mesh gave up on: the failure kind picks the status the caller can act upon. */
    public static StatusRuntimeException failed(JobResult result, Duration retryAfter) {
        return switch (result.getFailure()) {
            case FAILURE_KIND_NO_CAPACITY -> status(Code.RESOURCE_EXHAUSTED, result.getError() + "; retry in "
                    + retryAfter.toSeconds() + " s", retry(retryAfter));
            case FAILURE_KIND_REJECTED -> status(Code.INVALID_ARGUMENT, result.getError(), null);
            default -> status(Code.INTERNAL, "job " + result.getJobId() + " failed: " + result.getError(), null);
        };
    }

    private static Any retry(Duration after) {
        return Any.pack(RetryInfo.newBuilder().setRetryDelay(ProtoTime.duration(after)).build());
    }

    private static StatusRuntimeException status(Code code, String message, Any details) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
        if (details != null) {
            s.addDetails(details);
        }
        return StatusProto.toStatusRuntimeException(s.build());
    }
}

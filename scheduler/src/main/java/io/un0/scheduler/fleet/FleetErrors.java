package io.un0.scheduler.fleet;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.un0.proto.ProtoTime;
import io.un0.scheduler.budget.Violation;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The Fleet service's refusals, with the standard details any gRPC client reads: the fields to fix, when to retry. */
final class FleetErrors {

    private FleetErrors() {
    }

    static StatusRuntimeException invalid(List<Violation> violations) {
        BadRequest.Builder details = BadRequest.newBuilder();
        violations.forEach(v -> details.addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description())));
        return status(Code.INVALID_ARGUMENT, violations.stream().map(Violation::toString).collect(Collectors.joining("; ")),
                Any.pack(details.build()));
    }

    static StatusRuntimeException unavailable(String why, Duration retryAfter) {
        return status(Code.UNAVAILABLE, why + "; retry in " + retryAfter.toSeconds() + " s",
                Any.pack(RetryInfo.newBuilder().setRetryDelay(ProtoTime.duration(retryAfter)).build()));
    }

    private static StatusRuntimeException status(Code code, String message, Any details) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder().setCode(code.getNumber())
                .setMessage(message).addDetails(details).build());
    }
}

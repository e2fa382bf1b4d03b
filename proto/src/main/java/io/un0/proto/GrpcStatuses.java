package io.un0.proto;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;

/**
 * How every service refuses a gRPC call, with the standard rich details any gRPC client reads:
 * {@code google.rpc.BadRequest} naming each field to fix, {@code google.rpc.RetryInfo} saying when to come back,
 * {@code google.rpc.QuotaFailure} saying which quota was reached.
 */
public final class GrpcStatuses {

    private GrpcStatuses() {
    }

    /** INVALID_ARGUMENT naming every violation, in the message and as {@code BadRequest} field violations. */
    public static StatusRuntimeException invalid(List<Violation> violations) {
        BadRequest.Builder details = BadRequest.newBuilder();
        violations.forEach(v -> details.addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description())));
        return status(Code.INVALID_ARGUMENT, String.join("; ", violations.stream().map(Violation::toString).toList()), Any.pack(details.build()));
    }

    /** UNAVAILABLE: try again after {@code retryAfter}. */
    public static StatusRuntimeException unavailable(String why, Duration retryAfter) {
        return retryLater(Code.UNAVAILABLE, why, retryAfter);
    }

    /** {@code code} with when to come back, in the message and as {@code RetryInfo}. */
    public static StatusRuntimeException retryLater(Code code, String why, Duration retryAfter) {
        return status(code, why + "; retry in " + retryAfter.toSeconds() + " s",
                Any.pack(RetryInfo.newBuilder().setRetryDelay(ProtoTime.duration(retryAfter)).build()));
    }

    /**
     * RESOURCE_EXHAUSTED for a quota: which one as {@code QuotaFailure} ({@code subject}, e.g. {@code tenant:acme},
     * and what was exceeded), and when it frees up as {@code RetryInfo}.
     */
    public static StatusRuntimeException overQuota(String subject, String why, Duration retryAfter) {
        return status(Code.RESOURCE_EXHAUSTED, why + "; retry in " + retryAfter.toSeconds() + " s",
                Any.pack(QuotaFailure.newBuilder().addViolations(QuotaFailure.Violation.newBuilder().setSubject(subject).setDescription(why)).build()),
                Any.pack(RetryInfo.newBuilder().setRetryDelay(ProtoTime.duration(retryAfter)).build()));
    }

    /** {@code code} with its message and no details. */
    public static StatusRuntimeException plain(Code code, String message) {
        return status(code, message);
    }

    private static StatusRuntimeException status(Code code, String message, Any... details) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
        for (Any d : details) {
            s.addDetails(d);
        }
        return StatusProto.toStatusRuntimeException(s.build());
    }
}

package io.un0.proto;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GrpcStatusesTest {

    @Test
    void anInvalidCallNamesEveryFieldInTheMessageAndAsBadRequest() throws Exception {
        StatusRuntimeException e = GrpcStatuses.invalid(List.of(new Violation("count", "0 is not in 1..256"),
                new Violation("items[3].class_name", "'hat' is not a class")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("count: 0 is not in 1..256; items[3].class_name: 'hat' is not a class", e.getStatus().getDescription());
        BadRequest details = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
        assertEquals(List.of("count", "items[3].class_name"), details.getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField).toList());
    }

    @Test
    void aRefusalToRetrySaysWhenInTheMessageAndAsRetryInfo() throws Exception {
        StatusRuntimeException e = GrpcStatuses.unavailable("Kafka did not take the job", Duration.ofSeconds(5));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("Kafka did not take the job; retry in 5 s", e.getStatus().getDescription());
        RetryInfo retry = StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class);
        assertEquals(5, retry.getRetryDelay().getSeconds());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, GrpcStatuses.retryLater(Code.RESOURCE_EXHAUSTED, "full", Duration.ofSeconds(2))
                .getStatus().getCode());
    }

    @Test
    void aPlainStatusCarriesNoDetails() {
        StatusRuntimeException e = GrpcStatuses.plain(Code.NOT_FOUND, "no batch b-1");
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals(0, StatusProto.fromThrowable(e).getDetailsCount());
    }
}

package io.un0.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.un0.proto.v1.BatchSubmission;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * Reads a batch submission as any Kafka producer may write it: protobuf bytes, or JSON in protobuf's JSON mapping of
 * {@code un0.v1.BatchSubmission} (content-type header {@code application/json}, or a value that starts with '{').
 */
public final class SubmissionCodec {

    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";

    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser();

    private SubmissionCodec() {
    }

    /** @throws IllegalArgumentException saying what could not be read */
    public static BatchSubmission decode(byte[] value, Headers headers) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty record: a un0.v1.BatchSubmission is needed");
        }
        try {
            if (isJson(value, headers)) {
                BatchSubmission.Builder b = BatchSubmission.newBuilder();
                JSON_PARSER.merge(new String(value, StandardCharsets.UTF_8), b);
                return b.build();
            }
            return BatchSubmission.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an un0.v1.BatchSubmission: " + e.getMessage(), e);
        }
    }

    private static boolean isJson(byte[] value, Headers headers) {
        Header type = headers.lastHeader(CONTENT_TYPE);
        if (type != null) {
            return new String(type.value(), StandardCharsets.UTF_8).startsWith(JSON);
        }
        return value[0] == '{';
    }
}

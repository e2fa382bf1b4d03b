package io.un0.kafka;

import io.un0.proto.fixtures.ContractFixtures;
import io.un0.proto.v1.BatchItem;
import io.un0.proto.v1.BatchSubmission;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submissions in protobuf or in the documented JSON, and precise errors for anything else. */
class SubmissionCodecTest {

    @Test
    void readsProtobufAndJson() {
        BatchSubmission s = BatchSubmission.newBuilder().setBatchId("b-1").addItems(BatchItem.newBuilder().setClassName("bag").setCount(3)).build();
        assertEquals(s, SubmissionCodec.decode(s.toByteArray(), new RecordHeaders()));
        String json = "{\"batchId\":\"b-1\",\"items\":[{\"className\":\"bag\",\"count\":3}]}";
        assertEquals(s, SubmissionCodec.decode(json.getBytes(StandardCharsets.UTF_8), new RecordHeaders()));
        String snake = "{\"batch_id\":\"b-1\",\"items\":[{\"class_name\":\"bag\",\"count\":3}]}";
        RecordHeaders typed = new RecordHeaders();
        typed.add(SubmissionCodec.CONTENT_TYPE, SubmissionCodec.JSON.getBytes(StandardCharsets.UTF_8));
        assertEquals(s, SubmissionCodec.decode(snake.getBytes(StandardCharsets.UTF_8), typed));
    }

    @Test
    void saysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubmissionCodec.decode(new byte[0], new RecordHeaders()))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubmissionCodec.decode("{\"batchId\": 1, \"colour\": 2}"
                .getBytes(StandardCharsets.UTF_8), new RecordHeaders())).getMessage().contains("colour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubmissionCodec.decode(new byte[] {(byte) 0xff, 1, 2}, new RecordHeaders()))
                .getMessage().startsWith("not an un0.v1.BatchSubmission"));
    }

    @Test
    void theGoldenJsonSubmissionDecodes() {
        assertEquals(ContractFixtures.batchSubmission(), SubmissionCodec.decode(ContractFixtures.bytes("batch-submission.json"), new RecordHeaders()));
    }
}

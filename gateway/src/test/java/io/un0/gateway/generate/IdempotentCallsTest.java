package io.un0.gateway.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.Image;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Same key and request: one answer, computed once. Same key, other request: refused. Failures are not kept. */
class IdempotentCallsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final GenerateRequest SNEAKERS = GenerateRequest.newBuilder().setClassName("sneaker").setCount(2).setIdempotencyKey("k").build();

    private static GenerateResponse answer(int bytes) {
        return GenerateResponse.newBuilder().setJobId("j").addImages(Image.newBuilder().setPng(ByteString.copyFrom(new byte[bytes]))).build();
    }

    @Test
    void theSameRequestJoinsTheFirstCallAndGetsItsAnswerLaterToo() throws Exception {
        IdempotentCalls calls = new IdempotentCalls(Duration.ofMinutes(10), 1 << 20);
        IdempotentCalls.Claim first = calls.claim("k", SNEAKERS, T0);
        assertTrue(first.first());
        IdempotentCalls.Claim joined = calls.claim("k", SNEAKERS.toBuilder().setDeadline(ProtoTime.timestamp(T0.plusSeconds(30))).build(), T0);
        assertFalse(joined.first(), "a retry with another deadline is the same request");
        calls.claim("k", SNEAKERS, T0).answer().cancel(false);
        calls.answered("k", answer(10));
        assertSame(first.answer().get(), joined.answer().get(), "a joined call that gave up took nothing from the others");
        IdempotentCalls.Claim later = calls.claim("k", SNEAKERS, T0.plus(Duration.ofMinutes(9)));
        assertFalse(later.first());
        assertEquals(answer(10), later.answer().get());
    }

    @Test
    void anotherRequestUnderTheKeyIsRefused() throws Exception {
        IdempotentCalls calls = new IdempotentCalls(Duration.ofMinutes(10), 1 << 20);
        calls.claim("k", SNEAKERS, T0);
        IdempotentCalls.ConflictException e = assertThrows(IdempotentCalls.ConflictException.class,
                () -> calls.claim("k", SNEAKERS.toBuilder().setCount(3).build(), T0));
        assertTrue(e.getMessage().contains("different request"), e.getMessage());
    }

    @Test
    void aFailureFailsTheJoinedCallsAndFreesTheKey() throws Exception {
        IdempotentCalls calls = new IdempotentCalls(Duration.ofMinutes(10), 1 << 20);
        calls.claim("k", SNEAKERS, T0);
        IdempotentCalls.Claim joined = calls.claim("k", SNEAKERS, T0);
        calls.failed("k", new IllegalStateException("no capacity"));
        assertThrows(CompletionException.class, () -> joined.answer().join());
        assertTrue(calls.claim("k", SNEAKERS, T0).first(), "a retry runs again");
    }

    @Test
    void answersAreKeptWithinTheirTimeAndByteBounds() throws Exception {
        IdempotentCalls calls = new IdempotentCalls(Duration.ofMinutes(10), 250);
        for (String key : new String[] {"a", "b", "c"}) {
            calls.claim(key, SNEAKERS.toBuilder().setIdempotencyKey(key).build(), T0);
            calls.answered(key, answer(100));
        }
        assertEquals(2, calls.size(), "over 250 bytes the oldest answer goes");
        assertTrue(calls.claim("a", SNEAKERS.toBuilder().setIdempotencyKey("a").build(), T0).first());
        assertTrue(calls.claim("b", SNEAKERS.toBuilder().setIdempotencyKey("b").build(), T0.plus(Duration.ofMinutes(11))).first(),
                "after the retention an answer is gone");
    }
}

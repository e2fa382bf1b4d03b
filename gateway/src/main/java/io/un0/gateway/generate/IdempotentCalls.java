package io.un0.gateway.generate;

import com.google.protobuf.ByteString;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.jobs.Fingerprint;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Generate calls under an idempotency key, on this gateway instance. The same key with the same request (its deadline
 * aside) gets the same answer: it joins the call still running under that key, or gets the answer kept from it, and
 * nothing is generated again. The same key with another request is refused. Only answers are kept, for
 * {@code idempotency-retention} and within {@code idempotency-bytes} (the oldest go first); a call that failed leaves
 * nothing behind, so that it may be retried under its key.
 */
@ApplicationScoped
public class IdempotentCalls {

    /** This call's share of its key: {@code first} when it is the one to run the job and settle {@code answer}. */
    public record Claim(boolean first, CompletableFuture<GenerateResponse> answer) {
    }

    /** The key is held by a different request. */
    public static final class ConflictException extends Exception {
        ConflictException(String message) {
            super(message);
        }
    }

    private record Held(ByteString fingerprint, CompletableFuture<GenerateResponse> answer, Instant since) {
    }

    private final Duration retention;
    private final long maxBytes;
    /** In the order the keys were claimed, so the oldest are dropped first. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    private long bytes;

    @Inject
    public IdempotentCalls(GatewayConfig config) {
        this(config.idempotencyRetention(), config.idempotencyBytes());
    }

    IdempotentCalls(Duration retention, long maxBytes) {
        this.retention = retention;
        this.maxBytes = maxBytes;
    }

    /** @throws ConflictException when the key is held by a different request */
    public synchronized Claim claim(String key, GenerateRequest request, Instant now) throws ConflictException {
        forgetOlderThan(now.minus(retention));
        ByteString fingerprint = fingerprint(request);
        Held h = held.get(key);
        if (h != null) {
            if (!h.fingerprint().equals(fingerprint)) {
                throw new ConflictException("already used, within the last " + retention.toMinutes()
                        + " min, for a different request; use a new key for a new request");
            }
            // A copy, so that a joined call that gives up cancels only its own wait.
            return new Claim(false, h.answer().copy());
        }
        Held claimed = new Held(fingerprint, new CompletableFuture<>(), now);
        held.put(key, claimed);
        return new Claim(true, claimed.answer());
    }

    /** The first call's answer: kept for the calls that come with its key. */
    public synchronized void answered(String key, GenerateResponse answer) {
        Held h = held.get(key);
        if (h == null) {
            return;
        }
        h.answer().complete(answer);
        bytes += answer.getSerializedSize();
        for (Iterator<Held> oldest = held.values().iterator(); bytes > maxBytes && oldest.hasNext(); ) {
            Held o = oldest.next();
            if (o.answer().isDone()) {
                bytes -= o.answer().join().getSerializedSize();
                oldest.remove();
            }
        }
    }

    /** The first call failed: the calls that joined it fail alike, and the key is free for a retry. */
    public synchronized void failed(String key, Throwable why) {
        Held h = held.remove(key);
        if (h != null) {
            h.answer().completeExceptionally(why);
        }
    }

    synchronized int size() {
        return held.size();
    }

    private void forgetOlderThan(Instant cutoff) {
        for (Iterator<Held> oldest = held.values().iterator(); oldest.hasNext(); ) {
            Held o = oldest.next();
            if (!o.since().isBefore(cutoff)) {
                return;
            }
            if (o.answer().isDone()) {
                bytes -= o.answer().join().getSerializedSize();
                oldest.remove();
            }
        }
    }

    /** The request as it decides the answer: everything but its deadline (a retry comes later). */
    private static ByteString fingerprint(GenerateRequest request) {
        return Fingerprint.of(request.toBuilder().clearDeadline().build());
    }
}

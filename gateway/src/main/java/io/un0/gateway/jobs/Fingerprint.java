package io.un0.gateway.jobs;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** What tells two requests under one idempotency key (or batch id) apart: the SHA-256 of what decides their answer. */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** @param decisive the request as it decides the answer (a retry's new deadline cleared, for one) */
    public static ByteString of(MessageLite decisive) {
        try {
            return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(decisive.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

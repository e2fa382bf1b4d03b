package io.un0.gateway.kafka;

/** Kafka did not take a record in time: the caller is answered UNAVAILABLE with a retry hint. */
public class MeshUnavailableException extends RuntimeException {

    public MeshUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.un0.routing;

/**
 * A policy's decision: run the job in this pool, at this precision and step count.
 *
 * @param reason why, for the audit record
 */
public record Route(String pool, String precision, int steps, String reason) {
}

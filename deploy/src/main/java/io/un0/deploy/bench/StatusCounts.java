package io.un0.deploy.bench;

import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** gRPC outcomes counted by status code (OK included), with the first description each code came with. */
final class StatusCounts {

    /** Enough of a description to say why; a refusal may quote much of what it refused. */
    private static final int DESCRIPTION_CHARS = 300;

    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<String, String> descriptions = new TreeMap<>();

    synchronized void add(Status status) {
        String code = status.getCode().name();
        counts.merge(code, 1, Integer::sum);
        String d = status.getDescription() == null ? "" : status.getDescription();
        descriptions.putIfAbsent(code, d.length() > DESCRIPTION_CHARS ? d.substring(0, DESCRIPTION_CHARS) + "…" : d);
    }

    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    synchronized Map<String, String> descriptions() {
        return new TreeMap<>(descriptions);
    }

    /** Whether every outcome had this code. */
    synchronized boolean all(Status.Code code) {
        return counts.keySet().equals(Set.of(code.name()));
    }

    synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}

package io.un0.engine;

import java.util.List;

/**
 * How sessions are opened.
 *
 * @param providers      execution providers in order of preference; the first that works is used
 * @param intraOpThreads threads inside one ONNX Runtime session; on small CPUs several one-thread sessions
 *                       cover the cores better than one session with many threads
 */
public record EngineOptions(List<ExecutionProvider> providers, int intraOpThreads) {

    public EngineOptions {
        if (providers == null || providers.isEmpty()) {
            throw new IllegalArgumentException("at least one execution provider is needed");
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, got " + intraOpThreads);
        }
        providers = List.copyOf(providers);
    }

    public static EngineOptions cpu(int intraOpThreads) {
        return new EngineOptions(List.of(ExecutionProvider.CPU), intraOpThreads);
    }
}

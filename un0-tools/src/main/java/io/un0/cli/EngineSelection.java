package io.un0.cli;

import io.un0.engine.EngineOptions;
import io.un0.engine.ExecutionProvider;
import picocli.CommandLine.Option;

/** Options shared by every command that opens a model: where packages are and how to run them. */
public final class EngineSelection {

    @Option(names = "--providers", defaultValue = "${env:UN0_PROVIDERS:-cpu}",
            description = "Execution providers in order of preference: cpu, cuda, openvino, qnn, coreml, nnapi (default: ${DEFAULT-VALUE}).")
    String providers;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads per session (default: all cores).")
    int threads;

    @Option(names = "--packages", description = "Folder holding the model packages (default: the checkout's shipped packages, else those bundled in the jar).")
    java.nio.file.Path packages;

    public EngineOptions options() {
        return options(Runtime.getRuntime().availableProcessors());
    }

    /** With {@code --threads} unset, {@code defaultThreads} intra-op threads. */
    public EngineOptions options(int defaultThreads) {
        return new EngineOptions(ExecutionProvider.parseList(providers), threads > 0 ? threads : defaultThreads);
    }

    /** The package of that name from {@code --packages}, or the shipped one. */
    public io.un0.model.ModelPackage open(String name) {
        return packages != null ? io.un0.model.ModelPackage.load(packages.resolve(name)) : io.un0.model.ModelPackage.open(name);
    }
}

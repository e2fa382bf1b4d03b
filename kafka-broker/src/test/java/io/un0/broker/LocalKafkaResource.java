package io.un0.broker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real broker for an app's Quarkus tests: started before the app, on free ports, with its data in a fresh folder
 * removed afterwards; the app finds it through {@code un0.kafka.bootstrap-servers}.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    private LocalKafka kafka;
    private Path data;

    @Override
    public Map<String, String> start() {
        try {
            data = Files.createTempDirectory("un0-kafka-test");
            // The broker loads plugins through the context class loader; Quarkus's test loader lacks some of them.
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(LocalKafka.class.getClassLoader());
            try {
                kafka = LocalKafka.start(data, 0, 0);
            } finally {
                thread.setContextClassLoader(previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("un0.kafka.bootstrap-servers", kafka.bootstrapServers());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.un0.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps an app's hand-kept {@code CONFIGURATION.md} true to its {@code @ConfigMapping} interfaces: every key they
 * define must be written there in backticks, with a placeholder such as {@code <region>} where the key has a map's
 * name ({@code un0.scheduler.grid.regions.<region>.source}). An app's test extends this with its mappings.
 */
public abstract class ConfigurationDocs {

    private final List<Class<?>> mappings;

    protected ConfigurationDocs(Class<?>... mappings) {
        this.mappings = List.of(mappings);
    }

    @Test
    public void everyKeyIsDocumented() throws IOException {
        assertEquals(List.of(), undocumented(Path.of("CONFIGURATION.md"), mappings), "keys missing from CONFIGURATION.md");
    }

    /** The keys of {@code mappings} that {@code doc} does not mention, as SmallRye names them ({@code *} for a map's name), lists as one key. */
    static List<String> undocumented(Path doc, List<Class<?>> mappings) throws IOException {
        String text = Files.readString(doc).replaceAll("<[^>`]+>", "*");
        return mappings.stream()
                .flatMap(m -> ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(m)).keySet().stream())
                // A list is one key, its values comma-separated.
                .map(key -> key.replace("[*]", ""))
                .filter(key -> !text.contains("`" + key + "`"))
                .sorted().toList();
    }
}

package io.un0.scheduler.grid;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/** A region's grid settings as configuration would give them, for tests; the defaults of {@link GridConfig.Region}. */
record RegionSettings(String source, Optional<String> zone, OptionalDouble gramsPerKwh, Optional<String> declaredAs,
                      OptionalDouble fallbackGramsPerKwh, Optional<Path> folder, int year, String basis, Optional<Instant> replayStart,
                      Optional<URI> url, Optional<String> token, Optional<String> username, Optional<String> password)
        implements GridConfig.Region {

    static RegionSettings of(String source) {
        return new RegionSettings(source, Optional.empty(), OptionalDouble.empty(), Optional.empty(), OptionalDouble.empty(), Optional.empty(),
                2022, "LCA", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    RegionSettings zone(String zone) {
        return new RegionSettings(source, Optional.of(zone), gramsPerKwh, declaredAs, fallbackGramsPerKwh, folder, year, basis, replayStart,
                url, token, username, password);
    }

    RegionSettings gramsPerKwh(double g, String declared) {
        return new RegionSettings(source, zone, OptionalDouble.of(g), Optional.of(declared), fallbackGramsPerKwh, folder, year, basis, replayStart,
                url, token, username, password);
    }

    RegionSettings fallback(double g) {
        return new RegionSettings(source, zone, gramsPerKwh, declaredAs, OptionalDouble.of(g), folder, year, basis, replayStart,
                url, token, username, password);
    }

    RegionSettings replay(Path folder, Instant start) {
        return new RegionSettings(source, zone, gramsPerKwh, declaredAs, fallbackGramsPerKwh, Optional.of(folder), year, basis, Optional.of(start),
                url, token, username, password);
    }

    RegionSettings url(String url) {
        return new RegionSettings(source, zone, gramsPerKwh, declaredAs, fallbackGramsPerKwh, folder, year, basis, replayStart,
                Optional.of(URI.create(url)), token, username, password);
    }
}

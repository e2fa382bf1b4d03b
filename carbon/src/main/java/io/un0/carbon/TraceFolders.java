package io.un0.carbon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where recorded traces are when nobody says: {@code ../shared/data} beside the checkout, if it exists. */
public final class TraceFolders {

    private TraceFolders() {
    }

    /** Looks beside the working folder and up to two levels above it (a module's tests run inside the module). */
    public static Optional<Path> sharedData() {
        Path dir = Path.of("").toAbsolutePath();
        for (int level = 0; level < 3 && dir != null; level++, dir = dir.getParent()) {
            Path data = dir.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(data)) {
                return Optional.of(data);
            }
        }
        return Optional.empty();
    }
}

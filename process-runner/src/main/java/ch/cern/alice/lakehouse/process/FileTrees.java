package ch.cern.alice.lakehouse.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Directory trees of servers' data and work directories. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code dir} and everything below it; nothing happens when it does not exist, and files a stopping
     * server removes meanwhile are no error.
     */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

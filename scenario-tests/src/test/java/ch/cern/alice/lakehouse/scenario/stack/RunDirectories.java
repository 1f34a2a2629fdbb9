package ch.cern.alice.lakehouse.scenario.stack;

import ch.cern.alice.lakehouse.process.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code run-<pid>} work directories of LakeStack: data removed at the end, whole runs once their JVM is gone. */
final class RunDirectories {

    private static final String PREFIX = "run-";

    private RunDirectories() {
    }

    static void deleteThoseOfEndedRuns(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return;
        }
        try (var dirs = Files.list(runsDir)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX)).toList()) {
                if (!jvmAlive(dir.getFileName().toString().substring(PREFIX.length()))) {
                    FileTrees.deleteRecursively(dir);
                }
            }
        }
    }

    /** Keeps the logs for inspection, deletes what a run wrote besides them (S3 objects, Trino cache, temp files). */
    static void deleteData(Path workDir) {
        for (Path data : List.of(workDir.resolve("s3").resolve("data"), workDir.resolve("tmp"),
                workDir.resolve("trino").resolve("cache"), workDir.resolve("trino").resolve("data"))) {
            try {
                FileTrees.deleteRecursively(data);
            } catch (IOException e) {
                System.err.println("lakestack: could not delete " + data + ": " + e);
            }
        }
    }

    private static boolean jvmAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours: leave it
        }
    }
}

package ch.cern.alice.lakehouse.rehearsal;

import ch.cern.alice.lakehouse.process.ChildProcesses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process of the rehearsal (a service, Kafka, a Spark master or worker) with exactly the given environment
 * (nothing inherited from the test JVM: a container starts from its image's environment too), output in its log,
 * stopped by its PID together with whatever it started (etl-service's Spark driver, a worker's executors).
 */
record ChildJvm(String name, Process process, Path log) implements AutoCloseable {

    static ChildJvm start(String name, List<String> command, Map<String, String> env, Path workDir, Path log)
            throws IOException {
        Files.createDirectories(workDir);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return new ChildJvm(name, pb.start(), log);
    }

    long pid() {
        return process.pid();
    }

    /** The last lines of the log, for failure messages. */
    String logTail(int lines) {
        return tail(log, lines);
    }

    static String tail(Path file, int lines) {
        try (Stream<String> all = Files.lines(file)) {
            List<String> list = all.toList();
            return file + ":\n" + String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return file + ": " + e;
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}

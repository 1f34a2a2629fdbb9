package ch.cern.alice.lakehouse.localstack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A launcher started as its own JVM, the way ./lakehouse starts it, with its output in a log file. */
final class LaunchedProcess {

    static final Path STACK_DIR = Path.of(System.getProperty("stack.dir", "target/stack"));
    static final Path CLASSES = Path.of("target/classes").toAbsolutePath();

    private final String name;
    private final Process process;
    private final Path log;
    private final List<ProcessHandle> descendantsSeen = new ArrayList<>();

    private LaunchedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} on the classpath in {@code target/stack/<classpathFile>} (or only our classes). */
    static LaunchedProcess start(String name, String classpathFile, String mainClass, Path workDir, String... args)
            throws IOException {
        String cp = CLASSES.toString();
        if (classpathFile != null) {
            cp = Files.readString(STACK_DIR.resolve(classpathFile)).strip() + java.io.File.pathSeparator + cp;
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m",
                "-Djava.io.tmpdir=" + workDir.resolve("tmp"), "-cp", cp, mainClass));
        cmd.addAll(List.of(args));
        Files.createDirectories(workDir.resolve("tmp"));
        Path log = workDir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new LaunchedProcess(name, p, log);
    }

    /** Waits for the launcher's {@code READY} line and returns it. */
    String awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> ready = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("READY ")).findFirst();
            if (ready.isPresent()) {
                process.descendants().forEach(descendantsSeen::add);
                return ready.get();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail());
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM by PID, then SIGKILL after the grace period; returns the exit code. */
    int stop(Duration grace) throws InterruptedException {
        process.descendants().forEach(descendantsSeen::add);
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Child processes this launcher had (e.g. the S3Proxy JVM) that are still running. */
    List<ProcessHandle> survivingDescendants() {
        return descendantsSeen.stream().filter(ProcessHandle::isAlive).toList();
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package ch.cern.alice.lakehouse.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Waiting for and stopping the servers that tests and the local stack run as child processes. */
public final class ChildProcesses {

    private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(10);

    private ChildProcesses() {
    }

    /**
     * SIGTERM (lets the server shut down cleanly), SIGKILL when it is still alive after {@code grace}; then SIGKILL
     * for whatever it had started (e.g. etl-service's Spark JVMs), so that nothing outlives it.
     */
    public static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(FORCED_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Polls {@code url} until a response satisfies {@code ready}. Fails at once when the process dies, and after
     * {@code timeout}; both messages name {@code log}. The caller decides whether to stop the process then.
     *
     * @param what names the server in messages, e.g. "Trino"
     */
    public static void awaitHttp(Process process, String what, URI url, Predicate<HttpResponse<String>> ready,
                                 Duration timeout, Duration pollEvery, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (ready.test(http.send(request, HttpResponse.BodyHandlers.ofString()))) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            sleep(pollEvery);
        }
        throw new IllegalStateException(what + " not ready within " + timeout + "; see " + log);
    }

    /** Sleeps; an interrupt ends the sleep early and stays set on the thread. */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package ch.cern.alice.lakehouse.process;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessesTest {

    @TempDir
    Path dir;

    @Test
    void stopEndsAProcessThatHonoursSigterm() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();

        ChildProcesses.stop(p, Duration.ofSeconds(5));

        assertThat(p.isAlive()).isFalse();
        assertThat(p.exitValue()).isEqualTo(128 + 15); // SIGTERM
    }

    @Test
    void stopKillsAProcessIgnoringSigtermAndWhatItStarted() throws Exception {
        Path childPid = dir.resolve("child.pid");
        Process p = new ProcessBuilder("bash", "-c", "trap '' TERM; sleep 60 & echo $! > " + childPid + "; wait")
                .start();
        long child = awaitPid(childPid);

        ChildProcesses.stop(p, Duration.ofMillis(500));

        assertThat(p.isAlive()).isFalse();
        assertThat(p.exitValue()).isEqualTo(128 + 9); // SIGKILL after the grace period
        ProcessHandle sleeper = ProcessHandle.of(child).orElse(null);
        if (sleeper != null) {
            sleeper.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void awaitHttpReturnsOnceTheServerAnswersReady() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = server(exchange -> {
            int status = calls.incrementAndGet() < 3 ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        Process alive = new ProcessBuilder("sleep", "30").start();
        try {
            ChildProcesses.awaitHttp(alive, "test server", url(server), r -> r.statusCode() == 200,
                    Duration.ofSeconds(20), Duration.ofMillis(50), dir.resolve("server.log"));
            assertThat(calls.get()).isEqualTo(3);
        } finally {
            server.stop(0);
            ChildProcesses.stop(alive, Duration.ofSeconds(5));
        }
    }

    @Test
    void awaitHttpFailsAtOnceWhenTheProcessDiesAndAfterTheTimeout() throws Exception {
        HttpServer server = server(exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Process alive = new ProcessBuilder("sleep", "30").start();
        try {
            assertThatThrownBy(() -> ChildProcesses.awaitHttp(dead, "Trino", url(server), r -> true,
                    Duration.ofSeconds(20), Duration.ofMillis(50), Path.of("/logs/trino.log")))
                    .hasMessage("Trino exited with 0; see /logs/trino.log");
            assertThatThrownBy(() -> ChildProcesses.awaitHttp(alive, "Trino", url(server),
                    r -> r.statusCode() == 200, Duration.ofMillis(300), Duration.ofMillis(50),
                    Path.of("/logs/trino.log")))
                    .hasMessage("Trino not ready within PT0.3S; see /logs/trino.log");
        } finally {
            server.stop(0);
            ChildProcesses.stop(alive, Duration.ofSeconds(5));
        }
    }

    @Test
    void deletesATreeAndIgnoresAMissingOne() throws Exception {
        Path tree = dir.resolve("data");
        Files.createDirectories(tree.resolve("a/b"));
        Files.writeString(tree.resolve("a/b/file.txt"), "x");
        Files.writeString(tree.resolve("top.txt"), "y");

        FileTrees.deleteRecursively(tree);
        FileTrees.deleteRecursively(dir.resolve("never-created"));

        assertThat(tree).doesNotExist();
        assertThat(List.of(dir.toFile().list())).isEmpty();
    }

    private static long awaitPid(Path file) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.exists(file) && !Files.readString(file).isBlank()) {
                return Long.parseLong(Files.readString(file).strip());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no pid written to " + file);
    }

    private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    private static URI url(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }
}

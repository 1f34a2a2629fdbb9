package ch.cern.alice.lakehouse.query.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** S3Proxy on the file system (SigV4, path-style) in its own JVM, as in deploy/s3proxy/s3proxy.sh. */
final class S3ProxyProcess {

    private final Process process;
    private final int port;
    private final Path bucketDir;

    private S3ProxyProcess(Process process, int port, Path bucketDir) {
        this.process = process;
        this.port = port;
        this.bucketDir = bucketDir;
    }

    static S3ProxyProcess start(Path jar, Path dir, int port, String bucket, String accessKey, String secretKey)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar missing at " + jar + " (mvn generate-test-resources)");
        }
        Path data = dir.resolve("data");
        Path bucketDir = data.resolve(bucket);
        deleteRecursively(data);
        Files.createDirectories(bucketDir);
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.ignore-unknown-headers=true",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data) + "\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        S3ProxyProcess s3 = new S3ProxyProcess(p, port, bucketDir);
        s3.awaitReady();
        return s3;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue());
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(endpoint())).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("S3Proxy not ready within 60 s");
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    Path bucketDir() {
        return bucketDir;
    }

    void stop() {
        ProcessKiller.stop(process.toHandle());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package ch.cern.alice.lakehouse.webui.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small real HTTP server on 127.0.0.1 that stands in for a backend service, only to check the proxy's mechanics
 * (routing, headers, status codes, bodies, streaming). It never imitates a service's API.
 * <ul>
 *   <li>{@code .../echo...}: answers 200 with a description of the request it got</li>
 *   <li>{@code .../conflict}: 409 with a problem document</li>
 *   <li>{@code .../unauthorized}: 401 with a Basic challenge</li>
 *   <li>{@code .../throttled}: 429 with {@code Retry-After: 150}, {@code Cache-Control: no-store} and a problem, as
 *       service-support answers a login while its user or address must wait</li>
 *   <li>{@code .../stream?mb=N}: N MiB in chunks; the last ones only after {@link #releaseStream()}</li>
 * </ul>
 */
final class StandInBackend implements AutoCloseable {

    static final int CHUNK = 64 * 1024;

    private final HttpServer server;
    private final CountDownLatch streamGate = new CountDownLatch(1);

    StandInBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    void releaseStream() {
        streamGate.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        try (exchange) {
            if (path.endsWith("/conflict")) {
                send(exchange, 409, "application/problem+json",
                        "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"dataset trace has a run in progress\"}");
            } else if (path.endsWith("/unauthorized")) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"lakehouse\"");
                send(exchange, 401, "application/json", "{}");
            } else if (path.endsWith("/throttled")) {
                exchange.getResponseHeaders().add("Retry-After", "150");
                exchange.getResponseHeaders().add("Cache-Control", "no-store");
                send(exchange, 429, "application/problem+json", "{\"title\":\"Too Many Requests\",\"status\":429,"
                        + "\"detail\":\"Too many failed logins for this user or from this address: try again in 150 s."
                        + "\",\"retryAfterSeconds\":150}");
            } else if (path.endsWith("/stream")) {
                stream(exchange);
            } else {
                echo(exchange);
            }
        }
    }

    private void echo(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        String description = "method=" + exchange.getRequestMethod()
                + "\nuri=" + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                + "\nauthorization=" + headers.get("Authorization")
                + "\ncontent-length=" + headers.get("Content-Length")
                + "\ncontent-type=" + headers.get("Content-Type")
                + "\nx-trace=" + headers.get("X-Trace")
                + "\nx-forwarded-host=" + headers.get("X-Forwarded-Host")
                + "\nbody-bytes=" + body.length
                + "\nbody=" + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Backend", "stand-in");
        exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"echo.txt\"");
        send(exchange, 200, "text/plain; charset=utf-8", description);
    }

    private void stream(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        int mb = Integer.parseInt(query.substring(query.indexOf('=') + 1));
        long total = (long) mb * 1024 * 1024;
        exchange.getResponseHeaders().add("Content-Type", "text/csv");
        exchange.sendResponseHeaders(200, 0); // chunked
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; sent < total; sent += CHUNK) {
                for (int i = 0; i < CHUNK; i++) {
                    chunk[i] = (byte) ('a' + (int) ((sent + i) % 26));
                }
                out.write(chunk);
                if (sent == 0) {
                    out.flush();
                    // the rest only once the client has seen the first chunk: proves the proxy does not buffer
                    if (!streamGate.await(30, TimeUnit.SECONDS)) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        releaseStream();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package ch.cern.alice.lakehouse.simulator;

import ch.cern.alice.lakehouse.simulator.grid.AliceSites;
import ch.cern.alice.lakehouse.simulator.send.CollectorClient;
import ch.cern.alice.lakehouse.simulator.send.PostResult;
import ch.cern.alice.lakehouse.simulator.send.SiteKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client against a small HTTP endpoint on 127.0.0.1 that answers like the collector contract says (202 with
 * counts, 429 + Retry-After, 401), so the wire handling is exercised without the whole platform.
 */
class CollectorClientTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Queue<Integer> scriptedStatuses = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> receivedByDataset = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String lastApiKey;
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/datasets/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        lastApiKey = ex.getRequestHeaders().getFirst("X-Api-Key");
        JsonNode body = json.readTree(ex.getRequestBody());
        String dataset = ex.getRequestURI().getPath().split("/")[4];
        Integer scripted = scriptedStatuses.poll();
        String answer;
        int status;
        if (scripted != null && scripted == 429) {
            ex.getResponseHeaders().add("Retry-After", "1");
            status = 429;
            answer = "{\"detail\":\"busy\"}";
        } else if (scripted != null && scripted == 401) {
            status = 401;
            answer = "{\"detail\":\"unknown API key\"}";
        } else {
            status = 202;
            receivedByDataset.computeIfAbsent(dataset, d -> new AtomicLong()).addAndGet(body.size());
            answer = "{\"accepted\":" + body.size() + ",\"rejected\":[]}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Test
    void postsABatchWithTheSiteKeyAndReadsTheCounts() {
        PostResult r = new CollectorClient(base).post("metrics", "demo-CERN-key",
                List.of(Map.of("farm", "CERN"), Map.of("farm", "CERN")));
        assertThat(r.failed()).isFalse();
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(lastApiKey).isEqualTo("demo-CERN-key");
    }

    @Test
    void waitsAndRetriesWhenTheCollectorPushesBack() {
        scriptedStatuses.add(429);
        PostResult r = new CollectorClient(base).post("trace", "k", List.of(Map.of("job_id", 1)));
        assertThat(r.retries()).isEqualTo(1);
        assertThat(r.accepted()).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void reportsARefusedKeyAsAFailedBatch() {
        scriptedStatuses.add(401);
        PostResult r = new CollectorClient(base).post("trace", "wrong", List.of(Map.of("job_id", 1)));
        assertThat(r.failed()).isTrue();
        assertThat(r.error()).contains("HTTP 401").contains("unknown API key");
    }

    @Test
    void aShortRunSendsEveryGeneratedRecordOnce() throws Exception {
        SimulatorOptions options = SimulatorOptions.parse(new String[] {"--collector", base.toString(),
                "--jobs", "300", "--rate", "0", "--threads", "2", "--batch", "50", "--sites", "5",
                "--metrics-interval", "1", "--duration", "3"}, Map.of());
        RunStats stats = new GridRun(options, AliceSites.select("5"), new SiteKeys(null, null)).run();

        assertThat(stats.jobs.get()).isEqualTo(300);
        assertThat(stats.clean()).as(stats.summary(false)).isTrue();
        long received = receivedByDataset.values().stream().mapToLong(AtomicLong::get).sum();
        assertThat(received).isEqualTo(stats.generated.get()).isEqualTo(stats.accepted.get());
        assertThat(receivedByDataset.get("job_info").get()).isEqualTo(300);
        assertThat(receivedByDataset.get("jdl").get()).isEqualTo(300);
        assertThat(receivedByDataset.get("trace").get()).isBetween(270L, 300L);
        assertThat(receivedByDataset.get("metrics").get()).isGreaterThanOrEqualTo(5L * 7);
    }
}

package ch.cern.alice.lakehouse.bench.versioning;

import ch.cern.alice.lakehouse.versioning.VersioningApplication;
import ch.cern.alice.lakehouse.versioning.diff.DiffService;
import ch.cern.alice.lakehouse.support.security.Role;
import ch.cern.alice.lakehouse.versioning.domain.BranchService;
import ch.cern.alice.lakehouse.support.security.Caller;
import ch.cern.alice.lakehouse.versioning.domain.CommitService;
import ch.cern.alice.lakehouse.versioning.domain.TagService;
import ch.cern.alice.lakehouse.versioning.domain.CommitIds;
import ch.cern.alice.lakehouse.versioning.domain.RefResolver;
import ch.cern.alice.lakehouse.versioning.store.CommitRepository;
import ch.cern.alice.lakehouse.versioning.domain.CommitWriter;
import ch.cern.alice.lakehouse.versioning.store.JsonColumns;
import ch.cern.alice.lakehouse.versioning.testsupport.Api.Response;
import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter.Column;
import ch.cern.alice.lakehouse.versioning.testsupport.AbstractServiceTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency of the main operations over HTTP with 50 tables and 10k commits in Postgres (real Postgres, real S3Proxy).
 * Not a test: surefire's default includes skip it and the bench module skips tests unless {@code bench.run} is set;
 * run {@code bench/versioning-bench.sh}. Prints p50/p95/p99/max and writes them to target/bench/versioning-bench.txt
 * (under bench/). The application class is named because this package is not below versioning-service's.
 */
@SpringBootTest(classes = VersioningApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VersioningBench extends AbstractServiceTestBase {

    private static final int TABLES = 50;
    private static final int VERSIONS_PER_TABLE = 6;
    private static final int COMMITS = Integer.getInteger("bench.commits", 10_000);
    private static final int CALLS = Integer.getInteger("bench.calls", 300);
    private static final int WARMUP = 30;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonColumns json;
    @Autowired
    RefResolver refs;
    @Autowired
    DiffService diffs;
    @Autowired
    BranchService branches;
    @Autowired
    CommitRepository commitRepository;
    @Autowired
    CommitService commitService;
    @Autowired
    TagService tags;

    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws IOException {
        // the bench test class path also holds collector's and ingest's application.yml (e2e-tests' fixtures):
        // Spring reads the first one, which must be versioning-service's (its dependency comes first in bench/pom.xml)
        assertThat(String.valueOf(getClass().getClassLoader().getResource("application.yml")))
                .as("first application.yml on the class path").contains("versioning-service");
        Files.deleteIfExists(Path.of("target/bench/versioning-bench.txt"));
        line("load average at start (2 cores): %s", loadAverage());
        long t0 = System.nanoTime();
        for (int t = 0; t < TABLES; t++) {
            String table = table(t);
            delta.create(table, List.of(new Column("id", "long"), new Column("site", "string")), List.of(), 1000,
                    Instant.now());
            for (int v = 1; v < VERSIONS_PER_TABLE; v++) {
                delta.merge(table, 100, 10, 1, Instant.now());
            }
        }
        line("Delta tables: %d x %d versions written to S3Proxy in %.1f s", TABLES, VERSIONS_PER_TABLE,
                (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        List<String> ids = seedMainHistory();
        line("commits in Postgres: %d (seeded on main in %.1f s)", count(), (System.nanoTime() - t0) / 1e9);
        String old = ids.get(ids.size() / 2);

        assertThat(api.post("admin", "/api/v1/versions/branches", Map.of("name", "bench")).status()).isEqualTo(201);
        measure("commit (POST /commits, 2 tables)", i -> api.post("admin", "/api/v1/versions/commits",
                Map.of("branch", "bench", "message", "bench " + i,
                        "tables", Map.of(table(i % TABLES), (long) (i % VERSIONS_PER_TABLE),
                                table((i + 7) % TABLES), (long) ((i + 1) % VERSIONS_PER_TABLE)))), 201);
        measure("branch create (POST /branches from main)", i -> api.post("admin", "/api/v1/versions/branches",
                Map.of("name", "bench-b-" + i, "from", "main")), 201);
        measure("branch create from timestamp", i -> api.post("admin", "/api/v1/versions/branches",
                Map.of("name", "bench-ts-" + i, "fromTimestamp", Instant.now().minusSeconds(5).toString())), 201);
        measure("tag create (POST /tags at an abbreviated id)", i -> api.post("admin", "/api/v1/versions/tags",
                Map.of("name", "bench-t-" + i, "ref", ids.get(i * 13 % ids.size()).substring(0, 10))), 201);
        measure("diff (50 tables, commit 5000 back vs main)", i -> api.get("admin",
                "/api/v1/versions/diff?from=" + old + "&to=main"), 200);
        measure("HTTP floor: GET /actuator/health (no auth)", i -> api.get(null, "/actuator/health"), 200);
        measure("HTTP floor: 401 without credentials", i -> api.get(null, "/api/v1/versions/refs/main"), 401);
        measure("resolve branch (GET /refs/main)", i -> api.get("admin", "/api/v1/versions/refs/main"), 200);
        measure("resolve tag", i -> api.get("admin", "/api/v1/versions/refs/bench-t-" + (i % CALLS)), 200);
        measure("resolve abbreviated commit id", i -> api.get("admin",
                "/api/v1/versions/refs/" + ids.get(i * 31 % ids.size()).substring(0, 8)), 200);
        measure("log page 0 (size 50)", i -> api.get("admin", "/api/v1/versions/branches/main/log?size=50"), 200);
        measure("log page 100 (size 50, 5000 deep)", i -> api.get("admin",
                "/api/v1/versions/branches/main/log?page=100&size=50"), 200);
        measure("merge main into a stale branch (merge base ~5000 back)", i -> {
            String branch = "bench-m-" + i;
            api.post("admin", "/api/v1/versions/branches", Map.of("name", branch, "from", old));
            return api.post("admin", "/api/v1/versions/merge", Map.of("source", "main", "target", branch));
        }, 200);

        line("-- in-process (service layer, no HTTP/auth/JSON): separates the service's own cost from the load --");
        Caller admin = new Caller("admin", Role.ADMIN);
        measureInProcess("commit (2 tables)", i -> commitService.commit("bench", "in-process " + i,
                Map.of(table(i % TABLES), (long) (i % VERSIONS_PER_TABLE), table((i + 7) % TABLES),
                        (long) ((i + 1) % VERSIONS_PER_TABLE)), Map.of(), null, admin));
        measureInProcess("branch create from main", i -> branches.create("bench-ip-" + i, "main", null, admin));
        measureInProcess("tag create", i -> tags.create("bench-ipt-" + i, "main", null, admin));
        measureInProcess("resolve main", i -> refs.resolve("main"));
        measureInProcess("resolve abbreviated id", i -> refs.resolve(ids.get(i * 31 % ids.size()).substring(0, 8)));
        measureInProcess("diff 50 tables", i -> diffs.diff(old, "main"));
        measureInProcess("log page 0 (size 50)", i -> branches.log("main", 0, 50));
        measureInProcess("merge base 5000 back", i -> commitRepository.mergeBase(old, ids.get(ids.size() - 1)));
        measureInProcess("merge base of a fork 40 back", i -> commitRepository.mergeBase(
                ids.get(ids.size() - 40), ids.get(ids.size() - 1)));
        line("load average during the run (2 cores): %s", loadAverage());
        System.out.println(report);
    }

    /** A linear history on main: each commit moves 1-3 tables to another version, like ETL runs do. */
    private List<String> seedMainHistory() {
        String head = jdbc.queryForObject("SELECT head FROM versioning.branches WHERE name = 'main'", String.class);
        Map<String, Object> rootRow = jdbc.queryForMap("SELECT generation, tables::text AS t FROM versioning.commits "
                + "WHERE id = ?", head);
        SortedMap<String, Long> tables = json.tables((String) rootRow.get("t"));
        int generation = (Integer) rootRow.get("generation");
        Instant time = Instant.now().minus(Duration.ofDays(30));
        List<String> ids = new ArrayList<>();
        List<Object[]> commitRows = new ArrayList<>();
        List<Object[]> moveRows = new ArrayList<>();
        for (int i = 0; i < COMMITS; i++) {
            SortedMap<String, Long> next = new TreeMap<>(tables);
            for (int k = 0; k < 1 + i % 3; k++) {
                next.put(table((i * 3 + k * 17) % TABLES), (long) ((i + k) % VERSIONS_PER_TABLE));
            }
            time = time.plusMillis(200);
            String message = "ETL run seed-" + i;
            Map<String, Object> properties = Map.of("etlRunId", "seed-" + i);
            String id = CommitIds.hash(List.of(head), next, "etl", message, time, properties);
            generation++;
            commitRows.add(new Object[]{id, head, generation, "etl", message, Timestamp.from(CommitIds.commitTime(time)),
                    json.write(properties), json.write(next), json.write(CommitWriter.changes(tables, next))});
            moveRows.add(new Object[]{id, Timestamp.from(time)});
            ids.add(id);
            head = id;
            tables = next;
        }
        jdbc.batchUpdate("INSERT INTO versioning.commits (id, parent1, generation, author, message, created_at, "
                + "properties, tables, changed) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)", commitRows);
        jdbc.batchUpdate("INSERT INTO versioning.branch_moves (branch, commit_id, moved_at, moved_by, reason) "
                + "VALUES ('main', ?, ?, 'etl', 'seed')", moveRows);
        jdbc.update("UPDATE versioning.branches SET head = ? WHERE name = 'main'", head);
        jdbc.execute("ANALYZE versioning.commits");
        jdbc.execute("ANALYZE versioning.branch_moves");
        return ids;
    }

    private void measure(String name, IntFunction<Response> call, int expectedStatus) {
        for (int i = 0; i < WARMUP; i++) {
            Response r = call.apply(100_000 + i);
            assertThat(r.status()).as(name + ": " + r.raw()).isEqualTo(expectedStatus);
        }
        double[] ms = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            Response r = call.apply(i);
            ms[i] = (System.nanoTime() - start) / 1e6;
            assertThat(r.status()).as(name + ": " + r.raw()).isEqualTo(expectedStatus);
        }
        Arrays.sort(ms);
        line("%-55s n=%d  p50=%6.1f ms  p95=%6.1f ms  p99=%6.1f ms  max=%6.1f ms", name, CALLS, pct(ms, 50),
                pct(ms, 95), pct(ms, 99), ms[ms.length - 1]);
    }

    private void measureInProcess(String name, IntFunction<Object> call) {
        for (int i = 0; i < WARMUP; i++) {
            assertThat(call.apply(100_000 + i)).isNotNull();
        }
        double[] ms = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            assertThat(call.apply(i)).isNotNull();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        line("%-55s n=%d  p50=%6.1f ms  p95=%6.1f ms  p99=%6.1f ms  max=%6.1f ms", name, CALLS, pct(ms, 50),
                pct(ms, 95), pct(ms, 99), ms[ms.length - 1]);
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM versioning.commits", Long.class);
    }

    /** Appends a line to the report file at once, so a long run shows its figures as it goes. */
    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
        try {
            Path out = Path.of("target/bench/versioning-bench.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String table(int i) {
        return String.format("bench_t%02d", i);
    }
}

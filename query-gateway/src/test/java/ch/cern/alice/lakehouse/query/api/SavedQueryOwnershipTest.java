package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import ch.cern.alice.lakehouse.query.testsupport.TestLake;
import ch.cern.alice.lakehouse.support.security.SecurityAuditLog;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saved queries have an owner (issue #13): only the owner or an admin edits or deletes one, everyone else gets a 403
 * with an audit line but may still read and run it. Real gateway, Postgres and Trino.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SavedQueryOwnershipTest {

    private static final String SUFFIX = Long.toString(System.nanoTime());

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    GatewayClient researcher() {
        return new GatewayClient(port, "researcher", "r-pw");
    }

    GatewayClient other() {
        return new GatewayClient(port, "other", "o-pw");
    }

    GatewayClient admin() {
        return new GatewayClient(port, "admin", "a-pw");
    }

    static Map<String, Object> definition(String name, String sql) {
        return Map.of("name", name + " " + SUFFIX, "description", "ownership test", "sql", sql,
                "parameters", List.of());
    }

    long create(GatewayClient client, String name, String sql) {
        GatewayClient.Response created = client.post("/api/v1/saved-queries", definition(name, sql));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    @Test
    void aResearcherCannotChangeTheAdminsQueryButReadsAndRunsIt() throws Exception {
        long adminsId = create(admin(), "admin's query", "SELECT 41 + 1");
        String path = "/api/v1/saved-queries/" + adminsId;

        Logger audit = (Logger) LoggerFactory.getLogger(SecurityAuditLog.LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        audit.addAppender(lines);
        try {
            GatewayClient.Response put = researcher().put(path, definition("hijacked", "SELECT 666"));
            assertThat(put.status()).as(put.body()).isEqualTo(403);
            assertThat(put.json().get("detail").asString())
                    .contains("belongs to 'admin'", "only its owner or an admin may edit it");
            GatewayClient.Response delete = researcher().delete(path);
            assertThat(delete.status()).as(delete.body()).isEqualTo(403);
            assertThat(delete.json().get("detail").asString()).contains("only its owner or an admin may delete it");

            List<String> denied = awaitLines(lines, 2);
            assertThat(denied).anySatisfy(line -> assertThat(line)
                    .contains("event=access_denied", "user=\"researcher\"", "method=PUT", "path=" + path,
                            "outcome=403"));
            assertThat(denied).anySatisfy(line -> assertThat(line)
                    .contains("event=access_denied", "user=\"researcher\"", "method=DELETE", "path=" + path));
        } finally {
            audit.detachAppender(lines);
            lines.stop();
        }

        JsonNode unchanged = researcher().get(path).json();
        assertThat(unchanged.get("sql").asString()).isEqualTo("SELECT 41 + 1");
        assertThat(unchanged.get("owner").asString()).isEqualTo("admin");

        GatewayClient.Response started = researcher().post(path + "/run", Map.of());
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode done = researcher().awaitDone(started.json().get("id").asString());
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");
        assertThat(done.get("rows").get(0).get(0).asLong()).isEqualTo(42);

        assertThat(admin().delete(path).status()).isEqualTo(204);
        assertThat(researcher().get(path).status()).isEqualTo(404);
    }

    @Test
    void theOwnerAndAdminsChangeAQueryOthersDoNot() {
        long id = create(researcher(), "researcher's query", "SELECT 1");
        String path = "/api/v1/saved-queries/" + id;

        GatewayClient.Response byOther = other().put(path, definition("other's edit", "SELECT 2"));
        assertThat(byOther.status()).as(byOther.body()).isEqualTo(403);
        assertThat(other().delete(path).status()).isEqualTo(403);

        GatewayClient.Response byOwner = researcher().put(path, definition("owner's edit", "SELECT 3"));
        assertThat(byOwner.status()).as(byOwner.body()).isEqualTo(200);
        assertThat(byOwner.json().get("sql").asString()).isEqualTo("SELECT 3");

        GatewayClient.Response byAdmin = admin().put(path, definition("admin's edit", "SELECT 4"));
        assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(200);
        assertThat(byAdmin.json().get("sql").asString()).isEqualTo("SELECT 4");
        assertThat(byAdmin.json().get("owner").asString()).as("an admin's edit keeps the owner")
                .isEqualTo("researcher");

        assertThat(researcher().delete(path).status()).isEqualTo(204);
        assertThat(researcher().get(path).status()).isEqualTo(404);
    }

    @Test
    void aQueryOwnedByNobodyIsChangedByAdminsOnly() throws Exception {
        long id;
        try (Connection db = DriverManager.getConnection(TestLake.get().postgresJdbcUrl(), "postgres", "postgres");
             PreparedStatement insert = db.prepareStatement("INSERT INTO query.saved_query (name, sql_text, owner, "
                     + "created_at, updated_at) VALUES (?, 'SELECT 5', NULL, now(), now()) RETURNING id")) {
            insert.setString(1, "ownerless " + SUFFIX);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        String path = "/api/v1/saved-queries/" + id;
        GatewayClient.Response byResearcher = researcher().put(path, definition("claimed", "SELECT 6"));
        assertThat(byResearcher.status()).as(byResearcher.body()).isEqualTo(403);
        assertThat(byResearcher.json().get("detail").asString()).contains("nobody (admins only)");
        assertThat(researcher().post(path + "/run", Map.of()).status()).isEqualTo(202);

        GatewayClient.Response byAdmin = admin().put(path, definition("ownerless, edited", "SELECT 7"));
        assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(200);
        assertThat(admin().delete(path).status()).isEqualTo(204);
    }

    private static List<String> awaitLines(ListAppender<ILoggingEvent> appender, int atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<String> lines;
            synchronized (appender.list) {
                lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                        .filter(l -> l.contains("event=access_denied")).toList();
            }
            if (lines.size() >= atLeast || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(50);
        }
    }
}

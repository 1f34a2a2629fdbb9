package ch.cern.alice.lakehouse.scenario.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LakeStackExtension.class)
class LakeStackTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyServiceIsUpAndKnowsTheDemoUsers(LakeStack stack) throws Exception {
        for (String url : new String[]{stack.etlUrl(), stack.versioningUrl(), stack.queryUrl(), stack.webUiUrl()}) {
            assertThat(get(url + "/actuator/health", null).body()).contains("UP");
        }
        assertThat(get(stack.versioningUrl() + "/api/v1/versions/branches", DemoUser.VIEWER).statusCode())
                .isEqualTo(200);
        assertThat(get(stack.etlUrl() + "/api/v1/etl/runs", DemoUser.VIEWER).statusCode()).isEqualTo(200);
        assertThat(get(stack.etlUrl() + "/api/v1/etl/runs", new DemoUser("viewer", "wrong", "viewer")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void trinoAnswersOnItsJdbcUrlWithTheDeltaCatalog(LakeStack stack) throws Exception {
        try (Connection c = stack.trinoConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW CATALOGS")) {
            boolean delta = false;
            while (rs.next()) {
                delta |= rs.getString(1).equals("delta");
            }
            assertThat(delta).isTrue();
        }
    }

    @Test
    void theServicesCreatedTheirOwnSchemasBesideStaging(LakeStack stack) throws Exception {
        try (Connection c = stack.postgresConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT schema_name FROM information_schema.schemata")) {
            java.util.Set<String> schemas = new java.util.HashSet<>();
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
            assertThat(schemas).contains("staging", "etl", "query", "versioning");
        }
    }

    /** Least privilege (docs/security.md): each service is connected as its own role, which owns its tables. */
    @Test
    void eachServiceIsConnectedAsItsOwnRoleWhichOwnsItsSchema(LakeStack stack) throws Exception {
        try (Connection c = stack.postgresConnection(); Statement st = c.createStatement()) {
            java.util.Set<String> sessions = new java.util.TreeSet<>();
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    sessions.add(rs.getString(1));
                }
            }
            assertThat(sessions).as("logins of the services' sessions")
                    .containsExactlyInAnyOrder("lakehouse_etl", "lakehouse_query", "lakehouse_versioning");
            java.util.Set<String> owners = new java.util.TreeSet<>();
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT n.nspname || ':' || c.relowner::regrole "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname IN ('etl', 'query', 'versioning') AND c.relkind = 'r'")) {
                while (rs.next()) {
                    owners.add(rs.getString(1));
                }
            }
            assertThat(owners).containsExactly("etl:lakehouse_etl", "query:lakehouse_query",
                    "versioning:lakehouse_versioning");
        }
    }

    private HttpResponse<String> get(String url, DemoUser user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (user != null) {
            request.header("Authorization", user.basicAuth());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

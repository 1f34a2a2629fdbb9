package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.testsupport.GatewayClient;
import ch.cern.alice.lakehouse.query.testsupport.GatewayTestProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CSV exports neutralize text cells a spreadsheet would evaluate (OWASP CSV injection, issue #13) and leave numbers
 * alone; {@code csvFormulaEscape=false} exports raw. Real gateway and Trino.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CsvFormulaEscapeTest {

    private static final String SQL = "SELECT '=1+1' AS eq, '@SUM(A1)' AS at, '-2' AS minus_text, -2 AS minus_int, "
            + "'+cmd' AS plus, chr(9) || 'tab' AS tab, 'a-b=c' AS inner_chars, CAST(-2.5 AS DOUBLE) AS minus_double, "
            + "CAST(-3.25 AS DECIMAL(5, 2)) AS minus_decimal, 'x' AS \"=HYPERLINK(1)\"";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void lake(DynamicPropertyRegistry registry) {
        GatewayTestProperties.register(registry);
    }

    @Test
    void textCellsAreNeutralizedNumbersAreNotAndTheOptOutExportsRaw() {
        GatewayClient client = new GatewayClient(port, "researcher", "r-pw");
        GatewayClient.Response submitted = client.post("/api/v1/queries", Map.of("sql", SQL));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        JsonNode done = client.awaitDone(id);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FINISHED");

        GatewayClient.Response escaped = client.get("/api/v1/queries/" + id + "/export?format=csv");
        assertThat(escaped.status()).as(escaped.body()).isEqualTo(200);
        String[] lines = new String(escaped.bytes(), StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("eq,at,minus_text,minus_int,plus,tab,inner_chars,minus_double,"
                + "minus_decimal,'=HYPERLINK(1)");
        assertThat(lines[1].split(",", -1)).containsExactly("'=1+1", "'@SUM(A1)", "'-2", "-2", "'+cmd", "'\ttab",
                "a-b=c", "-2.5", "-3.25", "x");

        GatewayClient.Response explicit = client.get("/api/v1/queries/" + id
                + "/export?format=csv&csvFormulaEscape=true");
        assertThat(explicit.bytes()).isEqualTo(escaped.bytes());

        GatewayClient.Response raw = client.get("/api/v1/queries/" + id + "/export?format=csv&csvFormulaEscape=false");
        assertThat(raw.status()).as(raw.body()).isEqualTo(200);
        String[] rawLines = new String(raw.bytes(), StandardCharsets.UTF_8).split("\r\n");
        assertThat(rawLines[0]).endsWith(",=HYPERLINK(1)");
        assertThat(rawLines[1].split(",", -1)).containsExactly("=1+1", "@SUM(A1)", "-2", "-2", "+cmd", "\ttab",
                "a-b=c", "-2.5", "-3.25", "x");

        assertThat(client.get("/api/v1/queries/" + id + "/export?format=csv&csvFormulaEscape=maybe").status())
                .isEqualTo(400);
    }
}

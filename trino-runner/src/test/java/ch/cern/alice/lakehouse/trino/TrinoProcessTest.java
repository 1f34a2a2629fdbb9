package ch.cern.alice.lakehouse.trino;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrinoProcessTest {

    @Test
    void fillsEveryPlaceholderOfATemplate() {
        String filled = TrinoProcess.fill("http-server.http.port=${TRINO_PORT}\ns3.endpoint=${LAKEHOUSE_S3_ENDPOINT}\n",
                Map.of("TRINO_PORT", "18080", "LAKEHOUSE_S3_ENDPOINT", "http://127.0.0.1:9000"));

        assertThat(filled).isEqualTo("http-server.http.port=18080\ns3.endpoint=http://127.0.0.1:9000\n");
    }

    @Test
    void aMissingValueNamesThePlaceholder() {
        assertThatThrownBy(() -> TrinoProcess.fill("s3.region=${LAKEHOUSE_S3_REGION}", Map.of()))
                .hasMessageContaining("${LAKEHOUSE_S3_REGION}");
    }

    private static final Path DEPLOY = Path.of("../deploy/trino");

    /** Every value TrinoProcess.start gives the templates (the S3 ones come from the caller). */
    private static Map<String, String> startValues() {
        Map<String, String> vars = new HashMap<>();
        for (String name : List.of("TRINO_PORT", "TRINO_SERVER_DIR", "TRINO_ETC_DIR", "TRINO_SECRETS_DIR",
                "TRINO_BIND_ADDRESS", "TRINO_LAKE_SCHEMA", "TRINO_XMX", "TRINO_QUERY_MAX_MEMORY", "TRINO_CACHE_DIR",
                "TRINO_CACHE_SIZE", "TRINO_KEYSTORE_PASSWORD", "TRINO_SHARED_SECRET", "LAKEHOUSE_S3_ENDPOINT",
                "LAKEHOUSE_S3_BUCKET", "LAKEHOUSE_S3_REGION", "LAKEHOUSE_S3_ACCESS_KEY", "LAKEHOUSE_S3_SECRET_KEY")) {
            vars.put(name, "v");
        }
        return vars;
    }

    @Test
    void everyTemplateFillsWithTheValuesStartGivesAndBothLaunchersKnowTheSamePlaceholders() throws IOException {
        Set<String> placeholders = new TreeSet<>();
        try (Stream<Path> files = Files.walk(DEPLOY.resolve("etc"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                if (!file.endsWith("resource-groups.json")) {
                    TrinoProcess.fill(text, startValues()); // throws on an unknown placeholder
                }
                Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(text);
                while (m.find()) {
                    placeholders.add(m.group(1));
                }
            }
        }
        placeholders.remove("USER"); // resource-groups.json: Trino's own
        String script = Files.readString(DEPLOY.resolve("trino-server.sh"));
        assertThat(shellArray(script, "VARS")).containsAll(placeholders);
        assertThat(startValues().keySet()).containsAll(placeholders);
    }

    @Test
    void bothLaunchersWriteTheSameTemplates() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(DEPLOY.resolve("etc"))) {
            walk.filter(Files::isRegularFile).forEach(f -> files.add(DEPLOY.resolve("etc").relativize(f).toString()));
        }
        String script = Files.readString(DEPLOY.resolve("trino-server.sh"));
        assertThat(shellArray(script, "TEMPLATES")).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void theServerSpeaksHttpsOnlyAndEveryoneLogsIn() throws IOException {
        String config = TrinoProcess.fill(Files.readString(DEPLOY.resolve("etc/config.properties")), startValues());

        assertThat(config).contains("http-server.http.enabled=false", "http-server.https.enabled=true",
                "http-server.authentication.type=PASSWORD", "internal-communication.shared-secret=v",
                "internal-communication.https.required=true", "node.bind-ip=v");
        assertThat(Files.readString(DEPLOY.resolve("etc/access-control.properties")))
                .contains("access-control.name=file");
    }

    @Test
    void aMissingTemplateIsNamed(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("config.properties"), "coordinator=true\n");

        assertThatThrownBy(() -> TrinoProcess.start(tmp, tmp, tmp.resolve("run"), 1, Map.of()))
                .hasMessageContaining("jvm.config missing in " + tmp);
    }

    /** The words of a bash array assignment {@code NAME=(a b\n c)}. */
    private static List<String> shellArray(String script, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=\\(([^)]*)\\)").matcher(script);
        assertThat(m.find()).as(name + " in trino-server.sh").isTrue();
        return List.of(m.group(1).strip().split("\\s+"));
    }
}

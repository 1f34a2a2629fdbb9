package ch.cern.alice.lakehouse.localstack.compose;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker-compose.yml is valid, builds only what exists, and every variable it reads is documented. */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Path ENV_EXAMPLE = ROOT.resolve(".env.example");
    private static final Pattern VAR_USE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?:[:?\\-][^}]*)?}");

    @Test
    void everyVariableTheComposeFileUsesIsDocumentedInEnvExample() throws IOException {
        String withoutComments = String.join("\n", Files.readAllLines(COMPOSE).stream()
                .filter(l -> !l.stripLeading().startsWith("#")).toList());
        Set<String> used = variables(withoutComments);
        assertThat(used).as("variables read by docker-compose.yml").contains("LAKEHOUSE_DB_ADMIN_PASSWORD",
                "LAKEHOUSE_DB_INGEST_PASSWORD", "LAKEHOUSE_S3_ETL_SECRET_KEY", "LAKEHOUSE_USERS");
        assertThat(documented()).containsAll(used);
    }

    @Test
    void everySharedVariableOfTheContractsIsDocumentedInEnvExample() throws IOException {
        String contracts = Files.readString(ROOT.resolve("docs/contracts.md"));
        Set<String> shared = new TreeSet<>();
        Matcher m = Pattern.compile("`((?:LAKEHOUSE|TRINO)_[A-Z_]+|[A-Z]+_PORT)`").matcher(contracts);
        while (m.find()) {
            shared.add(m.group(1));
        }
        assertThat(shared).hasSizeGreaterThan(15);
        assertThat(documented()).containsAll(shared);
    }

    @Test
    void everyImageBuiltByComposeHasItsDockerfile() throws IOException {
        Matcher m = Pattern.compile("dockerfile:\\s*(\\S+)").matcher(Files.readString(COMPOSE));
        int count = 0;
        while (m.find()) {
            count++;
            Path dockerfile = ROOT.resolve(m.group(1));
            assertThat(dockerfile).exists();
            String text = Files.readString(dockerfile);
            assertThat(text).containsPattern("FROM maven:3\\.9-eclipse-temurin-\\S+ AS build");
            // the build stage runs the scripts ImageBuildScriptsTest runs against an empty Maven repository
            assertThat(text).containsPattern("RUN .*deploy/build/(service-jar|etl-jobs-home)\\.sh");
        }
        assertThat(count).as("services built from this repository").isGreaterThanOrEqualTo(7);
    }

    @Test
    void composeConfigValidatesWithTheExampleEnvironment() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose binary not installed (apt-get install docker-compose)");
        Path out = Files.createTempFile("compose-config", ".txt");
        Process p = new ProcessBuilder("docker-compose", "--env-file", ENV_EXAMPLE.toString(), "-f", COMPOSE.toString(),
                "config", "-q").directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(out, StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void composeRefusesToStartWithoutTheRequiredSecrets() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose binary not installed");
        Path emptyEnv = Files.createTempFile("empty", ".env");
        Path out = Files.createTempFile("compose-config", ".txt");
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "--env-file", emptyEnv.toString(), "-f",
                COMPOSE.toString(), "config", "-q").directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        List.of("LAKEHOUSE_DB_ADMIN_PASSWORD", "LAKEHOUSE_DB_STAGING_PASSWORD", "LAKEHOUSE_DB_INGEST_PASSWORD",
                "LAKEHOUSE_DB_ETL_PASSWORD", "LAKEHOUSE_DB_QUERY_PASSWORD", "LAKEHOUSE_DB_VERSIONING_PASSWORD",
                "LAKEHOUSE_S3_ROOT_USER", "LAKEHOUSE_S3_ROOT_PASSWORD", "LAKEHOUSE_S3_ETL_SECRET_KEY",
                "LAKEHOUSE_S3_TRINO_SECRET_KEY", "LAKEHOUSE_S3_VERSIONING_SECRET_KEY", "LAKEHOUSE_S3_QUERY_SECRET_KEY",
                "LAKEHOUSE_USERS", "LAKEHOUSE_SERVICE_USER", "LAKEHOUSE_SERVICE_PASSWORD", "COLLECTOR_SITE_KEYS")
                .forEach(pb.environment()::remove);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(Files.readString(out)).contains("in .env");
    }

    private static Set<String> variables(String text) {
        Set<String> vars = new TreeSet<>();
        Matcher m = VAR_USE.matcher(text);
        while (m.find()) {
            vars.add(m.group(1));
        }
        return vars;
    }

    private static Set<String> documented() throws IOException {
        Set<String> vars = new TreeSet<>();
        for (String line : Files.readAllLines(ENV_EXAMPLE)) {
            Matcher m = Pattern.compile("^#?([A-Z][A-Z0-9_]*)=").matcher(line.strip());
            if (m.find()) {
                vars.add(m.group(1));
            }
        }
        return vars;
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }
}

package ch.cern.alice.lakehouse.rehearsal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Static half of the rehearsal (seconds, no server started): the environment docker-compose.yml gives each of our
 * services, resolved with .env.example, against what the service reads (its config files, see
 * {@link SpringSettings}). A variable a service never reads is a typo, a leftover, or a secret handed to a service
 * that has no use for it; a placeholder without default that compose does not set is a service that cannot start.
 * The exceptions are {@link EnvironmentChecks#READ_OUTSIDE_SPRING}, each with its reason.
 */
class ComposeEnvironmentTest {

    private static ComposeConfig config;
    private static EnvironmentChecks checks;

    @BeforeAll
    static void resolveCompose() throws Exception {
        assumeTrue(ComposeConfig.dockerComposeInstalled(),
                "docker-compose not installed (apt-get install docker-compose; .ci/run does)");
        config = ComposeConfig.resolve(ComposeConfig.repoRoot(),
                Path.of(System.getProperty("rehearsal.work-dir", "target/rehearsal")).toAbsolutePath().resolve("static"));
        checks = new EnvironmentChecks(config);
    }

    @Test
    void everyVariableComposeGivesAServiceIsReadByThatService() {
        assertThat(checks.unreadVariables())
                .as("variables passed to a service that neither its config files nor its code read").isEmpty();
    }

    @Test
    void everySettingAServiceNeedsIsGivenByCompose() {
        assertThat(checks.missingSettings()).isEmpty();
    }

    @Test
    void eachServiceListensOnAllInterfacesOfItsContainerAtThePortTheOthersCall() {
        assertThat(checks.listeningProblems()).isEmpty();
    }

    @Test
    void everyServiceHasAHealthCheckThatProbesItsOwnPort() {
        assertThat(checks.healthcheckProblems()).isEmpty();
    }

    @Test
    void theResolvedConfigurationHasOurSixServicesBuiltFromThisRepository() {
        Set<String> built = new TreeSet<>();
        config.services().values().stream().filter(s -> s.build() != null).forEach(s -> built.add(s.name()));
        assertThat(built).containsAll(ComposeConfig.OUR_SERVICES);
        for (ServiceContainer c : checks.containers().values()) {
            assertThat(c.image().entrypoint()).as(c.name() + " ENTRYPOINT").contains("java");
            assertThat(c.image().javaMajor()).as(c.name() + " base image " + c.image().baseImage())
                    .isGreaterThanOrEqualTo(17);
        }
    }

    /** The checks have teeth: the same configuration with typical operator mistakes fails each of them. */
    @Test
    @SuppressWarnings("unchecked")
    void theChecksCatchABrokenConfiguration() throws Exception {
        ComposeConfig broken = config.with(services -> {
            Map<String, Object> webUi = (Map<String, Object>) services.get("web-ui");
            Map<String, Object> env = (Map<String, Object>) webUi.get("environment");
            env.put("LAKEHOUSE_DB_PASSWORD", "not-needed-by-the-web-ui"); // a secret the web UI has no use for
            env.put("LAKEHOUSE_QUERY_URL", "http://query-gateway:9999"); // nobody listens there
            Map<String, Object> collector = (Map<String, Object>) services.get("collector-service");
            ((Map<String, Object>) collector.get("environment")).put("SERVER_ADDRESS", "127.0.0.1");
            ((Map<String, Object>) services.get("ingest-service")).put("healthcheck",
                    Map.of("test", java.util.List.of("CMD", "curl", "-f", "http://127.0.0.1:1/actuator/health")));
        });
        EnvironmentChecks brokenChecks = new EnvironmentChecks(broken);
        assertThat(brokenChecks.unreadVariables()).anyMatch(p -> p.startsWith("web-ui: LAKEHOUSE_DB_PASSWORD"));
        assertThat(brokenChecks.listeningProblems())
                .anyMatch(p -> p.contains("web-ui calls query-gateway:9999"))
                .anyMatch(p -> p.startsWith("collector-service binds 127.0.0.1"));
        assertThat(brokenChecks.healthcheckProblems()).anyMatch(p -> p.startsWith("ingest-service's health check"));
    }

    @Test
    void aPlaceholderWithoutDefaultIsASettingTheServiceNeeds() {
        Map<String, String> env = Map.of("A", "1");
        assertThat(SpringSettings.resolvePlaceholders("${A}-${B:x}-${C:${A}}-${D}", env)).isEqualTo("1-x-1-${D}");
        assertThat(SpringSettings.envForms("spring.kafka.bootstrap-servers"))
                .containsExactly("SPRING_KAFKA_BOOTSTRAPSERVERS", "SPRING_KAFKA_BOOTSTRAP_SERVERS");
    }
}

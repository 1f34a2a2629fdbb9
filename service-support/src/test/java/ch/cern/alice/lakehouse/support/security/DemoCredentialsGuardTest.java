package ch.cern.alice.lakehouse.support.security;

import ch.cern.alice.lakehouse.support.security.DemoCredentialsGuard.DemoCredentialsException;
import ch.cern.alice.lakehouse.support.security.app.SecuredExampleService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service published beyond 127.0.0.1 refuses to start with passwords anyone can look up. */
class DemoCredentialsGuardTest {

    private static final String DEMO_USERS = "admin:{noop}admin-demo:admin;viewer:{noop}viewer-demo:viewer";
    private static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    void theDemoUsersOnANonLoopbackAddressStopTheContextWithAClearMessage() {
        // fails while the context starts, before the web server listens: no socket is opened on 0.0.0.0
        assertThatThrownBy(() -> start(DEMO_USERS, "0.0.0.0"))
                .rootCause()
                .isInstanceOf(DemoCredentialsException.class)
                .hasMessageContaining("Refusing to start: LAKEHOUSE_USERS holds demo credentials")
                .hasMessageContaining("admin ({noop} plain-text password), viewer ({noop} plain-text password)")
                .hasMessageContaining("server.address=0.0.0.0")
                .hasMessageContaining("htpasswd -bnBC 10")
                .hasMessageNotContaining("admin-demo");
    }

    @Test
    void theDemoUsersOnLoopbackStartAsTheLocalStackNeeds() {
        try (ConfigurableApplicationContext context = start(DEMO_USERS, "127.0.0.1")) {
            assertThat(context.isRunning()).isTrue();
        }
    }

    @Test
    void everyNoopPasswordThePlaceholdersAndTheirPasswordAreRefusedWhenPublished() {
        MockEnvironment published = new MockEnvironment().withProperty("server.address", "10.0.0.5");
        String realHash = encoder.encode("a real passphrase nobody knows");

        assertThatThrownBy(() -> DemoCredentialsGuard.check(UserSpec.parseAll("al:{noop}Str0ng&Long!:viewer"),
                published, encoder)).hasMessageContaining("al ({noop} plain-text password)");
        String placeholder = DemoCredentialsGuard.SHIPPED_PLACEHOLDER_HASHES.iterator().next();
        assertThatThrownBy(() -> DemoCredentialsGuard.check(UserSpec.parseAll("someone:" + placeholder + ":admin"),
                published, encoder)).hasMessageContaining("someone (the placeholder hash of .env.example)");
        String rehashed = encoder.encode("change-me-carol");
        assertThatThrownBy(() -> DemoCredentialsGuard.check(UserSpec.parseAll("carol:" + rehashed + ":admin"),
                published, encoder)).hasMessageContaining("carol (its password is the placeholder change-me-carol)");

        assertThatCode(() -> DemoCredentialsGuard.check(UserSpec.parseAll("carol:" + realHash + ":admin"),
                published, encoder)).doesNotThrowAnyException();
    }

    @Test
    void unsetAddressesAndASeparateManagementPortCountAsPublished() {
        List<UserSpec> demo = UserSpec.parseAll(DEMO_USERS);
        assertThatThrownBy(() -> DemoCredentialsGuard.check(demo, new MockEnvironment(), encoder))
                .hasMessageContaining("server.address unset (every interface)");
        assertThatThrownBy(() -> DemoCredentialsGuard.check(demo, new MockEnvironment()
                .withProperty("server.address", "127.0.0.1").withProperty("management.server.port", "9999"), encoder))
                .hasMessageContaining("management.server.address unset (every interface)");

        assertThatCode(() -> DemoCredentialsGuard.check(demo, new MockEnvironment()
                .withProperty("server.address", "::1").withProperty("management.server.port", "9999")
                .withProperty("management.server.address", "localhost"), encoder)).doesNotThrowAnyException();
    }

    @Test
    void theFailureAnalysisSaysWhatToDo() {
        DemoCredentialsException e = new DemoCredentialsException(List.of("admin ({noop} plain-text password)"),
                List.of("server.address=0.0.0.0"));

        FailureAnalysis analysis = new DemoCredentialsFailureAnalyzer().analyze(new IllegalStateException(e));

        assertThat(analysis.getDescription()).contains("server.address=0.0.0.0", "admin ({noop} plain-text password)");
        assertThat(analysis.getAction()).contains("htpasswd -bnBC 10", "{bcrypt}$2y$10$", "127.0.0.1");
    }

    /** .env.example ships bcrypt placeholders only, each known to the guard and each the hash of change-me-NAME. */
    @Test
    void envExampleShipsBcryptPlaceholdersTheGuardRecognises() throws IOException {
        String env = Files.readString(REPO.resolve(".env.example"));
        Matcher users = Pattern.compile("(?m)^LAKEHOUSE_USERS='([^']*)'").matcher(env);
        assertThat(users.find()).as("LAKEHOUSE_USERS in .env.example").isTrue();
        List<UserSpec> specs = UserSpec.parseAll(users.group(1));

        assertThat(specs).extracting(UserSpec::role).contains(Role.ADMIN, Role.RESEARCHER, Role.VIEWER, Role.SERVICE,
                Role.METRICS);
        List<String> hashes = new ArrayList<>();
        for (UserSpec user : specs) {
            assertThat(user.encodedPassword()).as(user.name()).startsWith("{bcrypt}$2y$10$");
            assertThat(encoder.matches("change-me-" + user.name(), user.encodedPassword())).as(user.name()).isTrue();
            hashes.add(user.encodedPassword());
        }
        assertThat(DemoCredentialsGuard.SHIPPED_PLACEHOLDER_HASHES).containsAll(hashes);

        Matcher service = Pattern.compile("(?m)^LAKEHOUSE_SERVICE_USER=(\\S+)\\s*$").matcher(env);
        assertThat(service.find()).isTrue();
        UserSpec account = specs.stream().filter(u -> u.name().equals(service.group(1))).findFirst().orElseThrow();
        assertThat(account.role()).as("the service account is no admin").isEqualTo(Role.SERVICE);
        assertThat(env).containsPattern("(?m)^LAKEHOUSE_SERVICE_PASSWORD=change-me-" + Pattern.quote(account.name())
                + "\\s*$");
    }

    private static ConfigurableApplicationContext start(String users, String address) {
        return new SpringApplicationBuilder(SecuredExampleService.class)
                .properties("server.port=0", "server.address=" + address, "lakehouse.security.users=" + users,
                        "spring.main.banner-mode=off")
                .run();
    }
}

package ch.cern.alice.lakehouse.support.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Refuses to start a service that listens beyond the loopback interface while {@code LAKEHOUSE_USERS} holds a
 * password anyone can look up: any {@code {noop}} (plain text) password, such as the {@code ...-demo} ones of
 * {@code ./lakehouse} and the {@code change-me-*} ones of older .env files, one of the placeholder hashes
 * .env.example ships, or a hash of {@code change-me-<user name>} (the placeholders' password). On 127.0.0.1 (the
 * local stack, tests) the demo users keep working.
 *
 * <p>The address checked is {@code server.address} (unset = every interface), and {@code management.server.address}
 * when the actuator has a port of its own.
 */
public final class DemoCredentialsGuard {

    private static final Logger log = LoggerFactory.getLogger(DemoCredentialsGuard.class);

    /** The {@code {bcrypt}} placeholders of .env.example (each the hash of {@code change-me-<user name>}). */
    static final Set<String> SHIPPED_PLACEHOLDER_HASHES = Set.of(
            "{bcrypt}$2y$10$vi3f3vrtuZGGojMvz36r8O9th2NFyORMMV.6fCJf2dGQfhCGOc2d6",
            "{bcrypt}$2y$10$oErvrHYp4M/xdZ6d7XpkQe2JndNzyh7eWl3Vgr0zelvufuFXMf39q",
            "{bcrypt}$2y$10$k46ztoFXGfC1cpq5JSBOEuLfCozx3V9XS7KjB5XBiXoYHE4tFe4AG",
            "{bcrypt}$2y$10$FFi71nsSVQu9pmvb1BoEPuqiZf4XnMnf8c1J.JNIf.75RmGM1DJXC",
            "{bcrypt}$2y$10$dqgJ1JE0isJ96ypySLzayegmIrHia7CejVPqbTaG/x4hnD0zZ6Mfm");

    DemoCredentialsGuard() {
    }

    /** Throws {@link DemoCredentialsException} when a published service holds demo credentials. */
    static void check(List<UserSpec> users, Environment environment, PasswordEncoder encoder) {
        List<String> exposure = exposure(environment);
        if (exposure.isEmpty()) {
            return;
        }
        List<String> offenders = new ArrayList<>();
        for (UserSpec user : users) {
            String why = whyKnown(user, encoder);
            if (why != null) {
                offenders.add(user.name() + " (" + why + ")");
            }
        }
        if (!offenders.isEmpty()) {
            throw new DemoCredentialsException(offenders, exposure);
        }
        log.debug("no demo credentials among {} users; listening on {}", users.size(), exposure);
    }

    private static String whyKnown(UserSpec user, PasswordEncoder encoder) {
        String encoded = user.encodedPassword();
        if (encoded.startsWith("{noop}")) {
            return "{noop} plain-text password";
        }
        if (SHIPPED_PLACEHOLDER_HASHES.contains(encoded)) {
            return "the placeholder hash of .env.example";
        }
        try {
            if (encoder.matches("change-me-" + user.name(), encoded)) {
                return "its password is the placeholder change-me-" + user.name();
            }
        } catch (IllegalArgumentException e) {
            // an encoding Spring does not know: the login itself will fail, not our business here
        }
        return null;
    }

    /** Where the service listens beyond loopback, e.g. "server.address unset (every interface)"; empty if nowhere. */
    static List<String> exposure(Environment environment) {
        List<String> exposed = new ArrayList<>();
        String server = environment.getProperty("server.address");
        if (!isLoopback(server)) {
            exposed.add(describe("server.address", server));
        }
        String managementPort = environment.getProperty("management.server.port");
        String serverPort = environment.getProperty("server.port");
        if (managementPort != null && !managementPort.isBlank() && !managementPort.equals(serverPort)
                && !"-1".equals(managementPort.strip())) {
            String management = environment.getProperty("management.server.address");
            if (!isLoopback(management)) {
                exposed.add(describe("management.server.address", management));
            }
        }
        return exposed;
    }

    private static String describe(String property, String value) {
        return value == null || value.isBlank() ? property + " unset (every interface)" : property + "=" + value;
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(address.strip())) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The service would publish passwords anyone can look up. */
    public static final class DemoCredentialsException extends IllegalStateException {

        private final List<String> offenders;
        private final List<String> exposure;

        DemoCredentialsException(List<String> offenders, List<String> exposure) {
            super("Refusing to start: LAKEHOUSE_USERS holds demo credentials (" + String.join(", ", offenders)
                    + ") and this service listens beyond 127.0.0.1 (" + String.join(", ", exposure) + "). "
                    + "Give every user a {bcrypt} hash of a real password (htpasswd -bnBC 10 \"\" 'PASSWORD' | "
                    + "tr -d ':\\n', then {bcrypt}$2y$...; see docs/security.md), or bind to 127.0.0.1 for a "
                    + "local demo.");
            this.offenders = List.copyOf(offenders);
            this.exposure = List.copyOf(exposure);
        }

        public List<String> offenders() {
            return offenders;
        }

        public List<String> exposure() {
            return exposure;
        }
    }
}

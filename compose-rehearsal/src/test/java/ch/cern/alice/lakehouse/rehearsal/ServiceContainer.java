package ch.cern.alice.lakehouse.rehearsal;

import ch.cern.alice.lakehouse.rehearsal.ComposeConfig.ComposeService;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of our services as its container would run it: the image's environment overlaid with the compose service's
 * (compose wins, as in Docker), the health check (compose's, else the image's), and the port and address the
 * service listens on inside the container, as its own config files resolve them with that environment.
 */
record ServiceContainer(ComposeService compose, ImageFile image, SpringSettings settings, Map<String, String> env) {

    static ServiceContainer of(ComposeConfig config, String name) throws IOException {
        ComposeService compose = config.service(name);
        ImageFile image = config.imageOf(compose);
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.putAll(compose.environment());
        return new ServiceContainer(compose, image, SpringSettings.of(config.repo(), name), env);
    }

    String name() {
        return compose.name();
    }

    /** The port the service listens on in its container (server.port with the container's environment). */
    int port() {
        String port = settings.resolve("server.port", env);
        if (port == null || !port.matches("\\d+")) {
            throw new AssertionError(name() + ": server.port resolves to '" + port + "' in its container");
        }
        return Integer.parseInt(port);
    }

    /** The address it binds to in its container (server.address with the container's environment). */
    String bindAddress() {
        return settings.resolve("server.address", env);
    }

    /** ["CMD-SHELL", cmd] or ["CMD", args...]: compose's healthcheck if it has one, else the image's HEALTHCHECK. */
    List<String> healthcheck() {
        return compose.healthcheck().isEmpty() ? image.healthcheck() : compose.healthcheck();
    }

    /** Text the container itself evaluates with its environment: health check and entrypoint. */
    String ownCommands() {
        return String.join(" ", healthcheck()) + " " + String.join(" ", image.entrypoint()) + " "
                + String.join(" ", compose.command());
    }
}

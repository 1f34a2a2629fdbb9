package ch.cern.alice.lakehouse.support.security;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security settings every service shares, each read from its environment variable, at the lowest precedence
 * (a service's own config file, the environment's {@code lakehouse.security...} properties and the application's
 * default properties win). Also: health details only for admins ({@code /actuator/health} answers anyone with its
 * status alone).
 */
public final class SecurityDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS;

    static {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lakehouse.security.users", "${LAKEHOUSE_USERS:}");
        d.put("lakehouse.security.trusted-proxies", "${LAKEHOUSE_TRUSTED_PROXIES:127.0.0.0/8,::1}");
        d.put("lakehouse.security.login-throttle.max-failures", "${LAKEHOUSE_LOGIN_MAX_FAILURES:5}");
        d.put("lakehouse.security.login-throttle.max-failures-per-address",
                "${LAKEHOUSE_LOGIN_MAX_FAILURES_PER_ADDRESS:${LAKEHOUSE_LOGIN_MAX_FAILURES:5}}");
        d.put("lakehouse.security.login-throttle.window", "${LAKEHOUSE_LOGIN_WINDOW:15m}");
        d.put("lakehouse.security.login-throttle.initial-delay", "${LAKEHOUSE_LOGIN_INITIAL_DELAY:30s}");
        d.put("lakehouse.security.login-throttle.max-delay", "${LAKEHOUSE_LOGIN_MAX_DELAY:15m}");
        d.put("lakehouse.security.login-throttle.max-entries", "${LAKEHOUSE_LOGIN_MAX_ENTRIES:10000}");
        d.put("management.endpoint.health.show-details", "when-authorized");
        d.put("management.endpoint.health.roles", Role.ADMIN.name());
        DEFAULTS = Map.copyOf(d);
    }

    /**
     * Merged into Spring Boot's {@code defaultProperties} (kept last in the environment), under the values an
     * application already put there.
     */
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        Map<String, Object> merged = new HashMap<>(DEFAULTS);
        if (sources.get(DefaultPropertiesPropertySource.NAME) instanceof MapPropertySource existing) {
            merged.putAll(existing.getSource());
            sources.replace(DefaultPropertiesPropertySource.NAME, new DefaultPropertiesPropertySource(merged));
        } else {
            sources.addLast(new DefaultPropertiesPropertySource(merged));
        }
    }
}

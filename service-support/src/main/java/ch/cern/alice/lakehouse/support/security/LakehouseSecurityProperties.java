package ch.cern.alice.lakehouse.support.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Users, trusted proxies and login throttling of a service. Every setting has an environment variable, given by
 * {@link SecurityDefaultsEnvironmentPostProcessor} (see docs/security.md).
 *
 * @param users          users as {@code name:password:role;...} (env {@code LAKEHOUSE_USERS})
 * @param trustedProxies addresses, CIDR ranges or host names whose {@code X-Forwarded-For} is believed (env
 *                       {@code LAKEHOUSE_TRUSTED_PROXIES}, default loopback): the web UI in front of the services, a
 *                       TLS reverse proxy in front of the web UI
 * @param loginThrottle  how failed logins slow down further attempts
 */
@ConfigurationProperties("lakehouse.security")
public record LakehouseSecurityProperties(String users,
                                          @DefaultValue({"127.0.0.0/8", "::1"}) List<String> trustedProxies,
                                          @DefaultValue LoginThrottle loginThrottle) {

    /**
     * @param maxFailures           failed logins of one user name, each less than {@code window} after the one
     *                              before, until that name is throttled ({@code LAKEHOUSE_LOGIN_MAX_FAILURES})
     * @param maxFailuresPerAddress the same for one client address, whatever the user names
     *                              ({@code LAKEHOUSE_LOGIN_MAX_FAILURES_PER_ADDRESS}, default as per user)
     * @param window                failures further apart than this start a new count
     *                              ({@code LAKEHOUSE_LOGIN_WINDOW})
     * @param initialDelay          the first wait; each further failure after a wait doubles it
     *                              ({@code LAKEHOUSE_LOGIN_INITIAL_DELAY})
     * @param maxDelay              the longest wait ({@code LAKEHOUSE_LOGIN_MAX_DELAY})
     * @param maxEntries            user names, and separately addresses, remembered at most
     *                              ({@code LAKEHOUSE_LOGIN_MAX_ENTRIES}); beyond it the least harmful are forgotten
     */
    public record LoginThrottle(@DefaultValue("5") int maxFailures,
                                @DefaultValue("5") int maxFailuresPerAddress,
                                @DefaultValue("15m") Duration window,
                                @DefaultValue("30s") Duration initialDelay,
                                @DefaultValue("15m") Duration maxDelay,
                                @DefaultValue("10000") int maxEntries) {

        public LoginThrottle {
            if (maxFailures < 1 || maxFailuresPerAddress < 1) {
                throw new IllegalArgumentException("lakehouse.security.login-throttle max-failures and "
                        + "max-failures-per-address must be at least 1");
            }
            if (window.isNegative() || window.isZero() || initialDelay.isNegative() || initialDelay.isZero()
                    || maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("lakehouse.security.login-throttle: window and initial-delay must "
                        + "be positive and max-delay at least initial-delay");
            }
            if (maxEntries < 16) {
                throw new IllegalArgumentException("lakehouse.security.login-throttle.max-entries must be at least 16");
            }
        }
    }
}

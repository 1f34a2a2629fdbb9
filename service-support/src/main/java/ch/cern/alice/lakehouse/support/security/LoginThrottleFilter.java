package ch.cern.alice.lakehouse.support.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Runs before Spring Security's filter chain, so before any password is checked: a request with HTTP Basic
 * credentials whose user name or client address must still wait (see {@link LoginThrottle}) is answered 429 with
 * {@code Retry-After} (seconds) and an audit line, whether its password is right or not. Otherwise the request
 * goes on with a {@link Attempt} that {@link SecurityEventsListener} fills from Spring Security's authentication
 * and authorization events (failed login counted and audited, denial audited); a 403 that a service answers by
 * itself (e.g. "only the owner may delete") is audited here after the request.
 *
 * <p>It sits outside the filter chains, so a service with its own {@code SecurityFilterChain} is covered too.
 */
public final class LoginThrottleFilter extends OncePerRequestFilter {

    /** Order: after Spring's request context filter (-105), before Spring Security (-100). */
    public static final int ORDER = -101;

    /** What the security events of one request found out, and how to name its client. */
    static final class Attempt {
        final HttpServletRequest request;
        private final ClientAddressResolver resolver;
        private String client;
        String authenticatedUser;
        boolean denialAudited;

        Attempt(HttpServletRequest request, ClientAddressResolver resolver) {
            this.request = request;
            this.resolver = resolver;
        }

        String client() {
            if (client == null) {
                client = resolver.clientAddress(request);
            }
            return client;
        }
    }

    private final LoginThrottle throttle;
    private final ClientAddressResolver resolver;
    private final ThreadLocal<Attempt> current = new ThreadLocal<>();

    public LoginThrottleFilter(LoginThrottle throttle, ClientAddressResolver resolver) {
        this.throttle = throttle;
        this.resolver = resolver;
    }

    /** The request being handled on this thread, if any. */
    Attempt currentAttempt() {
        return current.get();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Attempt attempt = new Attempt(request, resolver);
        String user = basicUser(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (user != null) {
            Duration wait = throttle.waitFor(user, attempt.client());
            if (!wait.isZero()) {
                SecurityAuditLog.throttled(user, attempt.client(), request.getMethod(), request.getRequestURI(), wait);
                tooManyRequests(response, wait);
                return;
            }
        }
        current.set(attempt);
        try {
            chain.doFilter(request, response);
        } finally {
            current.remove();
        }
        if (attempt.authenticatedUser != null && !attempt.denialAudited && !request.isAsyncStarted()
                && response.getStatus() == HttpServletResponse.SC_FORBIDDEN) {
            SecurityAuditLog.denied(attempt.authenticatedUser, attempt.client(), request.getMethod(),
                    request.getRequestURI(), "service");
        }
    }

    /** The user name of an HTTP Basic {@code Authorization} header; null without one or when it is malformed. */
    static String basicUser(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void tooManyRequests(HttpServletResponse response, Duration wait) throws IOException {
        long seconds = SecurityAuditLog.seconds(wait);
        response.setStatus(429);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                + "\"detail\":\"Too many failed logins for this user or from this address: try again in " + seconds
                + " s. Until then every login is refused, with the right password too.\",\"retryAfterSeconds\":"
                + seconds + "}");
    }
}

package ch.cern.alice.lakehouse.support.security;

import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import java.util.Locale;

/**
 * Spring Security's events, published on the thread of the request: a failed login is counted by the
 * {@link LoginThrottle} (wrong password or unknown user; an outage of the user store is audited but not counted) and
 * audited; a successful one clears its user name; a denied action of a logged-in user (URL rule or
 * {@code @PreAuthorize}) is audited. Requests without a login that reach a protected URL are answered 401 and not
 * audited: they are no attempt to log in.
 */
public final class SecurityEventsListener {

    private final LoginThrottle throttle;
    private final LoginThrottleFilter requests;

    public SecurityEventsListener(LoginThrottle throttle, LoginThrottleFilter requests) {
        this.throttle = throttle;
        this.requests = requests;
    }

    @EventListener
    public void loginFailed(AbstractAuthenticationFailureEvent event) {
        LoginThrottleFilter.Attempt attempt = requests.currentAttempt();
        String user = event.getAuthentication().getName();
        String client = attempt != null ? attempt.client() : remoteAddress(event.getAuthentication());
        boolean counted = event instanceof AuthenticationFailureBadCredentialsEvent;
        LoginThrottle.Failure failure = counted ? throttle.failed(user, client) : null;
        SecurityAuditLog.loginFailed(user, client, attempt == null ? null : attempt.request.getMethod(),
                attempt == null ? null : attempt.request.getRequestURI(), reason(event), failure);
    }

    @EventListener
    public void loginSucceeded(AuthenticationSuccessEvent event) {
        String user = event.getAuthentication().getName();
        throttle.succeeded(user);
        LoginThrottleFilter.Attempt attempt = requests.currentAttempt();
        if (attempt != null) {
            attempt.authenticatedUser = user;
        }
    }

    @EventListener
    public void accessDenied(AuthorizationDeniedEvent<?> event) {
        Authentication authentication = event.getAuthentication().get();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return;
        }
        LoginThrottleFilter.Attempt attempt = requests.currentAttempt();
        if (attempt != null) {
            attempt.denialAudited = true;
        }
        Object target = event.getSource();
        String by = target instanceof MethodInvocation mi
                ? mi.getMethod().getDeclaringClass().getSimpleName() + "." + mi.getMethod().getName()
                : target instanceof HttpServletRequest ? "url_rule" : target.getClass().getSimpleName();
        HttpServletRequest request = attempt != null ? attempt.request
                : target instanceof HttpServletRequest r ? r : null;
        SecurityAuditLog.denied(authentication.getName(),
                attempt != null ? attempt.client() : remoteAddress(authentication),
                request == null ? null : request.getMethod(), request == null ? null : request.getRequestURI(), by);
    }

    private static String remoteAddress(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
    }

    /** e.g. AuthenticationFailureBadCredentialsEvent -> bad_credentials */
    private static String reason(AbstractAuthenticationFailureEvent event) {
        String name = event.getClass().getSimpleName().replace("AuthenticationFailure", "").replace("Event", "");
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}

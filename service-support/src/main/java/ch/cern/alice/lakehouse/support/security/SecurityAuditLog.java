package ch.cern.alice.lakehouse.support.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * One line per security event on the logger {@value #LOGGER}, as {@code key=value} pairs, e.g.
 * <pre>
 * event=login_failed user="bob" client=203.0.113.7 method=GET path=/api/v1/queries outcome=401 reason=bad_credentials user_failures=3 address_failures=3
 * event=login_throttled user="bob" client=203.0.113.7 method=GET path=/api/v1/queries outcome=429 retry_after_s=30
 * event=access_denied user="rita" client=203.0.113.9 method=DELETE path=/api/v1/versions/tags/v1 outcome=403 by=TagController.delete
 * </pre>
 * User names are quoted with control characters, quotes and backslashes escaped and cut at 64 characters, so a
 * crafted name cannot forge a line; paths are logged without their query string. Passwords are never logged.
 */
public final class SecurityAuditLog {

    public static final String LOGGER = "lakehouse.audit";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final int MAX_FIELD = 64;

    private SecurityAuditLog() {
    }

    static void loginFailed(String user, String client, String method, String path, String reason,
                            LoginThrottle.Failure failure) {
        StringBuilder line = line("login_failed", user, client, method, path, 401).append(" reason=").append(reason);
        if (failure != null) {
            line.append(" user_failures=").append(failure.userFailures())
                    .append(" address_failures=").append(failure.addressFailures());
            if (!failure.waitStarted().isZero()) {
                line.append(" throttled_for_s=").append(seconds(failure.waitStarted()));
            }
        }
        log.warn(line.toString());
    }

    static void throttled(String user, String client, String method, String path, Duration wait) {
        log.warn(line("login_throttled", user, client, method, path, 429).append(" retry_after_s=")
                .append(seconds(wait)).toString());
    }

    static void denied(String user, String client, String method, String path, String by) {
        log.warn(line("access_denied", user, client, method, path, 403).append(" by=").append(plain(by)).toString());
    }

    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static StringBuilder line(String event, String user, String client, String method, String path,
                                      int outcome) {
        return new StringBuilder(160).append("event=").append(event)
                .append(" user=").append(user == null ? "-" : quoted(user))
                .append(" client=").append(plain(client))
                .append(" method=").append(plain(method))
                .append(" path=").append(plain(path))
                .append(" outcome=").append(outcome);
    }

    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        int n = Math.min(text.length(), MAX_FIELD);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (Character.isSurrogate(c) && !validSurrogateAt(text, i, n))
                    || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_FIELD) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    private static boolean validSurrogateAt(String text, int i, int end) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** Values that are not free text: anything but printable ASCII without spaces is escaped, long ones cut. */
    static String plain(String text) {
        if (text == null || text.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 256));
        int n = Math.min(text.length(), 256);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > n) {
            out.append("...");
        }
        return out.toString();
    }
}

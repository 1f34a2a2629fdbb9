package ch.cern.alice.lakehouse.support.security;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The address of the client behind a request: the remote address, unless that is a trusted proxy; then
 * {@code X-Forwarded-For} is read from the right (the entry the nearest proxy appended) past every trusted proxy,
 * and the first address that is not one is the client. Entries further left were written by the client itself and
 * are never believed, so a client cannot pick its own address by sending the header. The web UI appends the address
 * it sees to the header it forwards, so with the web UI as trusted proxy the services see the real client.
 *
 * <p>Trusted proxies are IP addresses, CIDR ranges or host names (for containers whose address changes, e.g.
 * {@code web-ui} in docker compose): host names are resolved again at most every 30 s, by one request while the
 * others use the last answer; a name that does not resolve is trusted for nothing until it does.
 */
public final class ClientAddressResolver {

    private static final Logger log = LoggerFactory.getLogger(ClientAddressResolver.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Duration RESOLVE_EVERY = Duration.ofSeconds(30);

    private record Range(byte[] network, int prefixBits) {

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges = new ArrayList<>();
    private final List<String> hostNames = new ArrayList<>();
    private final Clock clock;
    private final ReentrantLock resolving = new ReentrantLock();
    private volatile Set<InetAddress> resolved = Set.of();
    private volatile long resolvedAt = -1;

    public ClientAddressResolver(List<String> trustedProxies, Clock clock) {
        this.clock = clock;
        for (String entry : trustedProxies == null ? List.<String>of() : trustedProxies) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            InetAddress literal = literal(slash < 0 ? e : e.substring(0, slash));
            if (literal != null) {
                int bits = literal.getAddress().length * 8;
                int prefix = slash < 0 ? bits : parsePrefix(e, e.substring(slash + 1), bits);
                ranges.add(new Range(literal.getAddress(), prefix));
            } else if (slash < 0 && e.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                hostNames.add(e);
            } else {
                throw new IllegalArgumentException("lakehouse.security.trusted-proxies (LAKEHOUSE_TRUSTED_PROXIES): '"
                        + e + "' is neither an IP address, a CIDR range nor a host name");
            }
        }
    }

    private static int parsePrefix(String entry, String text, int bits) {
        try {
            int prefix = Integer.parseInt(text);
            if (prefix >= 0 && prefix <= bits) {
                return prefix;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("lakehouse.security.trusted-proxies (LAKEHOUSE_TRUSTED_PROXIES): bad prefix "
                + "length in '" + entry + "' (0-" + bits + ")");
    }

    /** The client's address in canonical text form (IPv6 uncompressed as Java prints it). */
    public String clientAddress(HttpServletRequest request) {
        String remote = canonical(request.getRemoteAddr());
        List<String> forwarded = forwardedFor(request);
        if (forwarded.isEmpty() || !isTrusted(remote)) {
            return remote;
        }
        String nearest = remote;
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(stripPort(forwarded.get(i)));
            if (hop == null) {
                // a trusted proxy wrote something that is no address: the client is the last one we could name
                return nearest;
            }
            nearest = hop.getHostAddress();
            if (!isTrusted(hop)) {
                return nearest;
            }
        }
        return nearest;
    }

    boolean isTrusted(String address) {
        InetAddress a = literal(address);
        return a != null && isTrusted(a);
    }

    private boolean isTrusted(InetAddress address) {
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return !hostNames.isEmpty() && resolvedHostNames().contains(address);
    }

    private Set<InetAddress> resolvedHostNames() {
        long now = clock.millis();
        if ((resolvedAt < 0 || now - resolvedAt >= RESOLVE_EVERY.toMillis()) && resolving.tryLock()) {
            try {
                Set<InetAddress> addresses = new java.util.HashSet<>();
                for (String name : hostNames) {
                    try {
                        Collections.addAll(addresses, InetAddress.getAllByName(name));
                    } catch (UnknownHostException e) {
                        log.warn("trusted proxy '{}' does not resolve (yet): its X-Forwarded-For is not believed "
                                + "until it does", name);
                    }
                }
                resolved = Set.copyOf(addresses);
                resolvedAt = now;
            } finally {
                resolving.unlock();
            }
        }
        return resolved;
    }

    private static List<String> forwardedFor(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        var headers = request.getHeaders("X-Forwarded-For");
        while (headers != null && headers.hasMoreElements()) {
            for (String part : headers.nextElement().split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        return hops;
    }

    /** {@code [v6]:port}, {@code [v6]} and {@code v4:port} as proxies write them, without the port. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    private static String canonical(String address) {
        InetAddress a = literal(address);
        return a == null ? String.valueOf(address) : a.getHostAddress();
    }

    /** An IP literal, never a DNS lookup; null for anything else. */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
            return null;
        }
        if (v4) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

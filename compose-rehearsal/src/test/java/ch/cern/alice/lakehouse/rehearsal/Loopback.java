package ch.cern.alice.lakehouse.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compose network on one host: each {@code <service>:<container port>} gets a random free port on 127.0.0.1
 * (allocated on first use, the same for every reference), a service host name becomes 127.0.0.1, and paths inside
 * containers (volumes, image directories) become directories of this run.
 *
 * <p>{@code 0.0.0.0} also becomes 127.0.0.1: in a container "all interfaces" is the container's private network;
 * on this host it would be every interface of a shared machine.
 */
final class Loopback {

    static final String HOST = "127.0.0.1";
    /** Before a host name: start of a value, URL authority, user@, key=, list separators, whitespace. */
    private static final String HOST_START = "(?<=^|//|@|=|,|;|\\s)";
    private static final Pattern ALL_INTERFACES = Pattern.compile("(?<![\\d.])0\\.0\\.0\\.0(?![\\d.])");

    private final Map<String, Integer> ports;
    private final Map<String, Integer> overrides;
    private final Pattern hostWithPort;
    private final Pattern bareHost;
    private final Pattern hostList;
    private final String names;

    Loopback(Set<String> composeServiceNames) {
        this(new LinkedHashMap<>(), Map.of(), names(composeServiceNames));
    }

    private Loopback(Map<String, Integer> ports, Map<String, Integer> overrides, String names) {
        this.ports = ports;
        this.overrides = overrides;
        this.names = names;
        hostWithPort = Pattern.compile(HOST_START + "(" + names + "):(\\d+)(?![\\w.-])");
        bareHost = Pattern.compile("(?<=//|@|=)(" + names + ")(?![\\w.:-])");
        hostList = Pattern.compile("(?:" + names + ")(?:\\s*[,;\\s]\\s*(?:" + names + "))*");
    }

    private static String names(Set<String> composeServiceNames) {
        return String.join("|", composeServiceNames.stream()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList());
    }

    /**
     * The same network, except that {@code service:port} leads to {@code port} for this one process: several
     * S3Proxy processes stand in for MinIO's users, one identity each, and a client reaches the one of its key.
     */
    Loopback withOverride(String serviceAndPort, int loopbackPort) {
        Map<String, Integer> o = new LinkedHashMap<>(overrides);
        o.put(serviceAndPort, loopbackPort);
        return new Loopback(ports, o, names);
    }

    /** The loopback port standing in for {@code service:containerPort}. */
    int port(String service, int containerPort) {
        Integer override = overrides.get(service + ":" + containerPort);
        if (override != null) {
            return override;
        }
        synchronized (ports) {
            return ports.computeIfAbsent(service + ":" + containerPort, k -> freePort());
        }
    }

    /** Every {@code service:port} mapped so far, e.g. for a failure message. */
    Map<String, Integer> ports() {
        synchronized (ports) {
            return new TreeMap<>(ports);
        }
    }

    /** Host names, ports, 0.0.0.0 and the given container paths (longest first) of one value. */
    String map(String value, Map<String, Path> containerPaths) {
        if (hostList.matcher(value.trim()).matches()) {
            // a value that is only host names (TRINO_TLS_HOSTNAMES, LAKEHOUSE_TRUSTED_PROXIES, PGHOST)
            return hostList.matcher(value).replaceAll(m -> m.group().replaceAll("[\\w.-]+", HOST));
        }
        Matcher m = hostWithPort.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, HOST + ":" + port(m.group(1), Integer.parseInt(m.group(2))));
        }
        m.appendTail(out);
        String mapped = bareHost.matcher(out).replaceAll(HOST);
        mapped = ALL_INTERFACES.matcher(mapped).replaceAll(HOST);
        if (containerPaths.isEmpty()) {
            return mapped;
        }
        // one pass: a host directory put in must not be mapped again (a run dir under /tmp and the container's /tmp)
        String keys = String.join("|", containerPaths.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList());
        mapped = Pattern.compile("(?<=^|[=:;,\\s\"'(-]|//)(" + keys + ")(?=$|[/:;,\\s*\"')}])").matcher(mapped)
                .replaceAll(r -> Matcher.quoteReplacement(containerPaths.get(r.group(1)).toString()));
        return mapped;
    }

    /**
     * An environment mapped value by value; variables naming a user keep their value even when it reads like a
     * host name (POSTGRES_USER=postgres).
     */
    Map<String, String> map(Map<String, String> env, Map<String, Path> containerPaths) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, k.matches(".*(USER|USERNAME|_DB|DATABASE|BUCKET)") ? v : map(v, containerPaths)));
        return out;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package ch.cern.alice.lakehouse.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compose network on one host: each {@code <service>:<container port>} gets a random free port on 127.0.0.1
 * (allocated on first use, the same for every reference), a bare service host name becomes 127.0.0.1, and paths
 * inside containers (volumes, image directories) become directories of this run.
 *
 * <p>{@code 0.0.0.0} also becomes 127.0.0.1: in a container "all interfaces" is the container's private network;
 * on this host it would be every interface of a shared machine.
 */
final class Loopback {

    static final String HOST = "127.0.0.1";
    /** Before a host name: start of a value, URL authority, user@, key=, list separators, whitespace. */
    private static final String HOST_START = "(?<=^|//|@|=|,|;|\\s)";
    private static final Pattern ALL_INTERFACES = Pattern.compile("(?<![\\d.])0\\.0\\.0\\.0(?![\\d.])");

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Pattern hostWithPort;
    private final Pattern bareHost;

    Loopback(Set<String> composeServiceNames) {
        String names = String.join("|", composeServiceNames.stream()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList());
        hostWithPort = Pattern.compile(HOST_START + "(" + names + "):(\\d+)(?![\\w.-])");
        bareHost = Pattern.compile("(?<=//|@|=)(" + names + ")(?![\\w.:-])");
    }

    /** The loopback port standing in for {@code service:containerPort}. */
    synchronized int port(String service, int containerPort) {
        return ports.computeIfAbsent(service + ":" + containerPort, k -> freePort());
    }

    /** Every {@code service:port} mapped so far, e.g. for a failure message. */
    synchronized Map<String, Integer> ports() {
        return new TreeMap<>(ports);
    }

    /** Host names, ports, 0.0.0.0 and the given container paths (longest first) of one value. */
    String map(String value, Map<String, Path> containerPaths) {
        Matcher m = hostWithPort.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, HOST + ":" + port(m.group(1), Integer.parseInt(m.group(2))));
        }
        m.appendTail(out);
        String mapped = bareHost.matcher(out).replaceAll(HOST);
        mapped = ALL_INTERFACES.matcher(mapped).replaceAll(HOST);
        List<Map.Entry<String, Path>> paths = containerPaths.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length()).reversed()).toList();
        for (Map.Entry<String, Path> p : paths) {
            mapped = mapped.replaceAll("(?<=^|[=:;,\\s\"'(-]|//)" + Pattern.quote(p.getKey()) + "(?=$|[/:;,\\s*\"')}])",
                    Matcher.quoteReplacement(p.getValue().toString()));
        }
        return mapped;
    }

    Map<String, String> map(Map<String, String> env, Map<String, Path> containerPaths) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, map(v, containerPaths)));
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

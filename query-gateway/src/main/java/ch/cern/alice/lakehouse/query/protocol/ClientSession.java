package ch.cern.alice.lakehouse.query.protocol;

import jakarta.servlet.http.HttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a protocol request says about its session: the caller, the client's {@code X-Trino-*} headers (catalog,
 * schema, session properties, prepared statements) and the gateway's {@code ref} session property.
 *
 * @param base       the gateway's URL as the client reached it (for nextUri)
 * @param properties the session properties without {@code ref}
 * @param forwarded  the client's headers that go on to Trino as they are
 */
public record ClientSession(String user, boolean admin, boolean researcher, String authorization, String base,
                            String catalog, String schema, String ref, Map<String, String> properties,
                            Map<String, String> prepared, String client, Map<String, List<String>> forwarded) {

    public static final String REF = "ref";

    /** Headers Trino reads from a client that the gateway passes on unchanged. */
    private static final Set<String> FORWARDED = Set.of("x-trino-path", "x-trino-time-zone", "x-trino-language",
            "x-trino-client-info", "x-trino-client-tags", "x-trino-client-capabilities", "x-trino-trace-token",
            "x-trino-source", "x-trino-transaction-id", "x-trino-resource-estimate", "user-agent");

    static ClientSession of(HttpServletRequest request, String user, boolean admin, boolean researcher,
                            String defaultCatalog, String defaultSchema) {
        String catalog = blankToNull(request.getHeader("X-Trino-Catalog"));
        String schema = blankToNull(request.getHeader("X-Trino-Schema"));
        if (catalog == null) { // the REST API's default: the lake
            catalog = defaultCatalog;
            schema = schema == null ? defaultSchema : schema;
        }
        Map<String, String> properties = pairs(request, "X-Trino-Session");
        String ref = properties.remove(REF);
        Map<String, String> prepared = pairs(request, "X-Trino-Prepared-Statement");
        Map<String, List<String>> forwarded = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            if (FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                forwarded.put(name, Collections.list(request.getHeaders(name)));
            }
        }
        String source = blankToNull(request.getHeader("X-Trino-Source"));
        String client = source != null ? source : blankToNull(request.getHeader("User-Agent"));
        if (client != null && client.length() > 256) {
            client = client.substring(0, 256);
        }
        String host = request.getHeader("Host");
        String base = request.getScheme() + "://" + (host == null
                ? request.getServerName() + ":" + request.getServerPort() : host) + request.getContextPath();
        return new ClientSession(user, admin, researcher, request.getHeader("Authorization"), base, catalog, schema,
                blankToNull(ref), properties, prepared, client, forwarded);
    }

    /** Whether unqualified names mean what they mean in the REST API (the lake's catalog and schema). */
    boolean atLake(String lakeCatalog, String lakeSchema) {
        return lakeCatalog.equals(catalog) && lakeSchema.equals(schema);
    }

    /** {@code X-Trino-Session: a=1,b=x%20y} (one or more headers; values URL-encoded): name -> decoded value. */
    private static Map<String, String> pairs(HttpServletRequest request, String header) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String value : Collections.list(request.getHeaders(header))) {
            for (String pair : value.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).strip();
                pairs.put(header.endsWith("Session") ? name.toLowerCase(Locale.ROOT) : name,
                        URLDecoder.decode(pair.substring(eq + 1).strip(), StandardCharsets.UTF_8));
            }
        }
        return pairs;
    }

    String preparedStatement(String name) {
        String sql = prepared.get(name);
        if (sql != null) {
            return sql;
        }
        for (Map.Entry<String, String> e : prepared.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    List<String> propertyNames() {
        return new ArrayList<>(properties.keySet());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

package ch.cern.alice.lakehouse.simulator.send;

import ch.cern.alice.lakehouse.simulator.grid.Site;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The API key each simulated site sends. Explicit keys ({@code SITE=key,...}) win; other sites use the pattern with
 * {@code {site}} replaced by the site name. The default pattern matches the demo keys ./lakehouse configures.
 */
public final class SiteKeys {

    public static final String DEMO_PATTERN = "demo-{site}-key";

    private final Map<String, String> explicit = new HashMap<>();
    private final String pattern;

    public SiteKeys(String explicitSpec, String pattern) {
        this.pattern = pattern == null || pattern.isBlank() ? DEMO_PATTERN : pattern;
        if (explicitSpec != null) {
            for (String entry : explicitSpec.split("[,;]")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException("API keys must be SITE=key entries, got '"
                            + entry.strip().replaceAll("=.*", "=***") + "'");
                }
                explicit.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
            }
        }
    }

    public String keyOf(Site site) {
        return explicit.getOrDefault(site.name(), pattern.replace("{site}", site.name()));
    }

    /** The collector's {@code COLLECTOR_SITE_KEYS} value granting each site all datasets with its demo key. */
    public String collectorSiteKeys(List<Site> sites) {
        return sites.stream().map(s -> s.name() + ":{plain}" + keyOf(s) + ":*").collect(Collectors.joining(";"));
    }
}

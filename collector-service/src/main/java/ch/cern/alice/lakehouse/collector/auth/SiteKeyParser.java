package ch.cern.alice.lakehouse.collector.auth;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads site key entries {@code site:key:datasets} separated by ';' or new lines ({@code #} starts a comment line).
 * The key is the SHA-256 hex of the real key ({@code printf %s KEY | sha256sum}), or {@code {plain}KEY} for local
 * demos, hashed here. Datasets are separated by '|'; {@code *} means all. Mistakes fail start-up with the entry's
 * position, never with the key itself.
 */
public final class SiteKeyParser {

    private static final String PLAIN_PREFIX = "{plain}";

    private final Collection<String> knownDatasets;

    public SiteKeyParser(Collection<String> knownDatasets) {
        this.knownDatasets = Set.copyOf(knownDatasets);
    }

    /** @param sources named texts (e.g. "COLLECTOR_SITE_KEYS" -> its value) */
    public SiteKeyRegistry parse(Map<String, String> sources) {
        Map<String, SiteGrant> byHash = new LinkedHashMap<>();
        sources.forEach((sourceName, text) -> {
            String[] entries = text.split("[;\\r\\n]+");
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                String where = sourceName + " entry " + (i + 1);
                Map.Entry<String, SiteGrant> parsed = parseEntry(entry, where);
                if (byHash.put(parsed.getKey(), parsed.getValue()) != null) {
                    throw new IllegalArgumentException(where + ": the same key is configured twice");
                }
            }
        });
        return new SiteKeyRegistry(byHash);
    }

    private Map.Entry<String, SiteGrant> parseEntry(String entry, String where) {
        int first = entry.indexOf(':');
        int last = entry.lastIndexOf(':');
        if (first <= 0 || last == first) {
            throw new IllegalArgumentException(where + ": expected site:sha256hex-of-key:dataset1|dataset2|*");
        }
        String site = entry.substring(0, first).strip();
        String key = entry.substring(first + 1, last).strip();
        String datasetList = entry.substring(last + 1).strip();
        String hash;
        if (key.startsWith(PLAIN_PREFIX)) {
            String plain = key.substring(PLAIN_PREFIX.length());
            if (plain.isEmpty()) {
                throw new IllegalArgumentException(where + " (site " + site + "): empty {plain} key");
            }
            hash = ApiKeyHash.of(plain);
        } else {
            hash = key.toLowerCase(Locale.ROOT);
            if (!ApiKeyHash.looksLikeHash(hash)) {
                throw new IllegalArgumentException(where + " (site " + site
                        + "): the key must be 64 hex digits (printf %s KEY | sha256sum) or {plain}KEY");
            }
        }
        Set<String> datasets = Arrays.stream(datasetList.split("\\|")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException(where + " (site " + site + "): no datasets listed");
        }
        for (String dataset : datasets) {
            if (!dataset.equals(SiteGrant.ALL_DATASETS) && !knownDatasets.contains(dataset)) {
                throw new IllegalArgumentException(where + " (site " + site + "): unknown dataset '" + dataset
                        + "'; known datasets: " + String.join(", ", knownDatasets.stream().sorted().toList()));
            }
        }
        return Map.entry(hash, new SiteGrant(site, datasets));
    }
}

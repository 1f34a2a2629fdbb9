package ch.cern.alice.lakehouse.collector.auth;

import java.util.Set;

/**
 * What one API key allows: the site it speaks for and the datasets it may send.
 *
 * @param datasets dataset names, or {@code *} for all
 */
public record SiteGrant(String site, Set<String> datasets) {

    public static final String ALL_DATASETS = "*";

    public SiteGrant {
        datasets = Set.copyOf(datasets);
    }

    public boolean mayWrite(String dataset) {
        return datasets.contains(ALL_DATASETS) || datasets.contains(dataset);
    }
}

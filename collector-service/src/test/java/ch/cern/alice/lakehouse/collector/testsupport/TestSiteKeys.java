package ch.cern.alice.lakehouse.collector.testsupport;

/** Site keys every test context configures: one hashed entry (as produced by sha256sum) and {plain} ones. */
public final class TestSiteKeys {

    public static final String CERN_KEY = "cern-key";
    /** Only trace and metrics; configured by its hash: {@code printf %s fzk-key | sha256sum}. */
    public static final String FZK_KEY = "fzk-key";
    public static final String STATS_KEY = "stats-key";

    public static final String PROPERTY = "collector.site-keys="
            + "CERN:{plain}" + CERN_KEY + ":*;"
            + "FZK:36ed3d2c6535cdd37a1d64221a98c65ac0d4ec46a53a23adc2515cdaad49fb0a:trace|metrics;"
            + "STATS_SITE:{plain}" + STATS_KEY + ":trace|job_info";

    private TestSiteKeys() {
    }
}

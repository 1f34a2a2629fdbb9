package ch.cern.alice.lakehouse.simulator.grid;

/**
 * One ALICE grid site.
 *
 * @param name             the site name as in MonALISA / the AliEn LDAP (also the collector's site of its API key)
 * @param weight           relative share of the grid's jobs (roughly the site's pledged CPU)
 * @param domain           DNS domain of its worker nodes
 * @param hostPrefix       worker node name prefix
 * @param workerNodes      how many worker nodes to spread jobs over
 * @param tier             0 (CERN), 1 (the Tier-1s: custodial storage, reconstruction) or 2
 * @param efficiencyFactor the site's CPU efficiency relative to the grid's for the same activity (storage, network,
 *                         CPU model): about 0.9-1.05, much lower for a misbehaving site
 * @param failureFactor    how much more often its jobs fail than the grid's, 1 = as often
 */
public record Site(String name, double weight, String domain, String hostPrefix, int workerNodes, int tier,
                   double efficiencyFactor, double failureFactor) {

    /** A Tier-2 site behaving like the grid's average. */
    public Site(String name, double weight, String domain, String hostPrefix, int workerNodes) {
        this(name, weight, domain, hostPrefix, workerNodes, 2, 1.0, 1.0);
    }

    public Site {
        if (tier < 0 || tier > 2) {
            throw new IllegalArgumentException("tier must be 0, 1 or 2");
        }
        if (efficiencyFactor <= 0 || failureFactor <= 0) {
            throw new IllegalArgumentException("site factors must be positive");
        }
    }

    /** A misbehaving site: clearly lower efficiency and more failures than the grid. */
    public boolean misbehaving() {
        return efficiencyFactor < 0.8 || failureFactor > 2;
    }

    public String tierName() {
        return "T" + tier;
    }

    public Site withProfile(int tier, double efficiencyFactor, double failureFactor) {
        return new Site(name, weight, domain, hostPrefix, workerNodes, tier, efficiencyFactor, failureFactor);
    }

    public String workerHost(int index) {
        return String.format("%s%04d.%s", hostPrefix, index % workerNodes, domain);
    }

    public String computingElement() {
        return "alice-ce01." + domain;
    }

    public String voBox() {
        return "voboxalice1." + domain;
    }
}

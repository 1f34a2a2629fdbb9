package ch.cern.alice.lakehouse.simulator.grid;

/**
 * One ALICE grid site.
 *
 * @param name        the site name as in MonALISA / the AliEn LDAP (also the collector's site of its API key)
 * @param weight      relative share of the grid's jobs (roughly the site's pledged CPU)
 * @param domain      DNS domain of its worker nodes
 * @param hostPrefix  worker node name prefix
 * @param workerNodes how many worker nodes to spread jobs over
 */
public record Site(String name, double weight, String domain, String hostPrefix, int workerNodes) {

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

package ch.cern.alice.lakehouse.simulator.grid;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Real ALICE grid sites with rough relative sizes (CERN and the big Tier-1s run most jobs), their tier, and a
 * per-site behaviour: every site's efficiency differs a little from the grid's (storage, network, CPU model: a fixed
 * factor per site), and two sites misbehave ({@link #MISBEHAVING}: low CPU efficiency, many failures), so a chart of
 * efficiency or failures per site shows a structure, as the real grid's do.
 */
public final class AliceSites {

    /** Tier-0 and Tier-1 sites; every other site is a Tier-2. */
    public static final Map<String, Integer> TIERS = Map.of("CERN", 0, "FZK", 1, "CNAF", 1, "CCIN2P3", 1,
            "KISTI_GSDC", 1, "NDGF", 1, "RAL", 1, "SARA", 1, "JINR", 1, "RRC-KI", 1);
    /** The sites that misbehave in the simulation: about half the usual efficiency, three to four times the failures. */
    public static final List<String> MISBEHAVING = List.of("Kolkata", "Wuhan");

    private static final List<Site> LISTED = List.of(
            new Site("CERN", 20, "cern.ch", "b7g", 4000),
            new Site("FZK", 8, "gridka.de", "f01-", 1500),
            new Site("CNAF", 6, "cr.cnaf.infn.it", "wn-", 1200),
            new Site("CCIN2P3", 6, "in2p3.fr", "ccwsge", 1200),
            new Site("GSI", 5, "gsi.de", "lxbk", 1000),
            new Site("KISTI_GSDC", 4, "sdfarm.kr", "wn", 800),
            new Site("NDGF", 4, "ndgf.org", "node", 800),
            new Site("RAL", 4, "gridpp.rl.ac.uk", "lcg", 800),
            new Site("SARA", 3, "grid.sara.nl", "wn-car-", 600),
            new Site("Torino", 2.5, "to.infn.it", "t2-wn-", 500),
            new Site("Cyfronet", 2, "cyf-kr.edu.pl", "n", 400),
            new Site("Bari", 2, "ba.infn.it", "wn", 400),
            new Site("Catania", 1.5, "ct.infn.it", "wn", 300),
            new Site("Legnaro", 1.5, "lnl.infn.it", "t2-wn-", 300),
            new Site("Prague", 2, "farm.particle.cz", "minis", 400),
            new Site("Subatech", 1.5, "subatech.in2p3.fr", "nodeg", 300),
            new Site("Grenoble", 1, "lpsc.in2p3.fr", "lpsc-wn", 200),
            new Site("IHEP", 1.5, "ihep.ac.cn", "wn", 300),
            new Site("Kolkata", 1.5, "tier2-kol.res.in", "wn", 300),
            new Site("Hiroshima", 1, "hepl.hiroshima-u.ac.jp", "wn", 200),
            new Site("Tsukuba", 1, "ccs.tsukuba.ac.jp", "wn", 200),
            new Site("ORNL", 2.5, "ornl.gov", "alice-wn", 500),
            new Site("LBL", 2, "nersc.gov", "pdsf-wn", 400),
            new Site("UPB", 1, "grid.pub.ro", "wn", 200),
            new Site("ISS", 1, "spacescience.ro", "wn", 200),
            new Site("NIHAM", 1.5, "nipne.ro", "wn", 300),
            new Site("Birmingham", 1.5, "ph.bham.ac.uk", "epgr", 300),
            new Site("Clermont", 1, "clermont.in2p3.fr", "clrwn", 200),
            new Site("Strasbourg_IRES", 1, "iphc.cnrs.fr", "sbgwn", 200),
            new Site("Trieste", 1, "ts.infn.it", "wn", 200),
            new Site("Poznan", 1.5, "man.poznan.pl", "wn", 300),
            new Site("Hiroshima_UT", 0.5, "hepl.hiroshima-u.ac.jp", "ut-wn", 100),
            new Site("Wuhan", 1, "ccnu.edu.cn", "wn", 200),
            new Site("SNIC", 1, "snic.se", "node", 200),
            new Site("Bologna", 1, "bo.infn.it", "wn", 200),
            new Site("Cagliari", 0.5, "ca.infn.it", "wn", 100),
            new Site("Padova", 0.5, "pd.infn.it", "wn", 100),
            new Site("Kosice", 1, "saske.sk", "wn", 200),
            new Site("Bratislava", 0.5, "dnp.fmph.uniba.sk", "wn", 100),
            new Site("Yerevan", 0.5, "yerphi.am", "wn", 100),
            new Site("JINR", 2, "jinr.ru", "wn", 400),
            new Site("RRC-KI", 1.5, "kiae.ru", "wn", 300),
            new Site("Vienna", 1, "hephy.oeaw.ac.at", "wn", 200),
            new Site("SUT", 0.5, "sut.ac.th", "wn", 100),
            new Site("CBPF", 0.5, "cbpf.br", "wn", 100),
            new Site("UNAM", 0.5, "nucleares.unam.mx", "wn", 100),
            new Site("PNPI", 0.5, "pnpi.nw.ru", "wn", 100),
            new Site("TriGrid_Catania", 0.5, "trigrid.it", "wn", 100));

    public static final List<Site> ALL = LISTED.stream().map(AliceSites::profiled).toList();

    private static final Map<String, Site> BY_NAME =
            ALL.stream().collect(Collectors.toMap(s -> s.name().toLowerCase(Locale.ROOT), Function.identity()));

    private AliceSites() {
    }

    /**
     * Tier and behaviour of a listed site, fixed per name (the same in every run): Tier-0/1 a little above the grid's
     * efficiency, Tier-2s spread around it, the misbehaving ones far below with many failures.
     */
    static Site profiled(Site site) {
        int tier = TIERS.getOrDefault(site.name(), 2);
        if (MISBEHAVING.contains(site.name())) {
            return site.withProfile(tier, site.name().equals("Kolkata") ? 0.55 : 0.62,
                    site.name().equals("Kolkata") ? 3.5 : 4.0);
        }
        // a stable pseudo-random number in [0, 1) per site name
        double u = (site.name().hashCode() & 0x7fffffff) % 1000 / 1000.0;
        double efficiency = switch (tier) {
            case 0 -> 1.03;
            case 1 -> 0.99 + 0.06 * u;
            default -> 0.90 + 0.16 * u;
        };
        double failures = tier == 2 ? 0.8 + 0.6 * ((site.name().length() * 37 + site.name().charAt(0)) % 100) / 100.0
                : 0.8;
        return site.withProfile(tier, efficiency, failures);
    }

    /**
     * Sites selected by a {@code --sites} value: empty or "all" = all; a number N = the N largest; otherwise a
     * comma-separated list of names (case-insensitive).
     */
    public static List<Site> select(String spec) {
        if (spec == null || spec.isBlank() || spec.equalsIgnoreCase("all")) {
            return ALL;
        }
        if (spec.strip().matches("\\d+")) {
            int n = Integer.parseInt(spec.strip());
            if (n < 1) {
                throw new IllegalArgumentException("--sites must be at least 1");
            }
            return ALL.stream().sorted((a, b) -> Double.compare(b.weight(), a.weight()))
                    .limit(n).toList();
        }
        return Arrays.stream(spec.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(name -> {
            Site s = BY_NAME.get(name.toLowerCase(Locale.ROOT));
            if (s == null) {
                throw new IllegalArgumentException("unknown site '" + name + "'; known: "
                        + ALL.stream().map(Site::name).collect(Collectors.joining(", ")));
            }
            return s;
        }).toList();
    }
}

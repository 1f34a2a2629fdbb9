package ch.cern.alice.lakehouse.simulator.grid;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Real ALICE grid sites with rough relative sizes (CERN and the big Tier-1s run most jobs). */
public final class AliceSites {

    public static final List<Site> ALL = List.of(
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

    private static final Map<String, Site> BY_NAME =
            ALL.stream().collect(Collectors.toMap(s -> s.name().toLowerCase(Locale.ROOT), Function.identity()));

    private AliceSites() {
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

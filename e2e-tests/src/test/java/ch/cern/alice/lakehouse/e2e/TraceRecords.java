package ch.cern.alice.lakehouse.e2e;

import java.util.List;
import java.util.Random;

/**
 * Synthetic but realistic ALICE job traces as sites send them: grid sites, worker node names, CPU efficiency by
 * activity (MC ~90%, analysis 30-70%), wall/CPU times, memory in kB, epoch-ms timestamps in 2026. The {@code site}
 * field is left out: the collector fills in the site of the API key that posts them (a site may only send its own).
 */
public final class TraceRecords {

    static final List<String> SITES = List.of("CERN", "FZK", "CNAF", "CCIN2P3", "GSI", "KISTI_GSDC", "NDGF", "RAL",
            "SARA", "Torino", "Cyfronet", "Subatech", "Legnaro", "Bari", "Catania", "Prague", "Kosice", "Birmingham",
            "ORNL", "LBL_HPCS", "Wuhan", "Hiroshima", "Trujillo", "UPB");
    private static final long START_2026 = 1_767_225_600_000L;

    private TraceRecords() {
    }

    /** One trace record as JSON; deterministic for a job id. */
    public static String json(long jobId) {
        Random random = new Random(jobId);
        String site = SITES.get(random.nextInt(SITES.size()));
        boolean mc = random.nextInt(100) < 70;
        int cores = random.nextInt(10) < 8 ? 8 : 1;
        int walltime = 600 + random.nextInt(mc ? 40_000 : 7_200);
        double efficiency = mc ? 85 + random.nextDouble() * 10 : 30 + random.nextDouble() * 40;
        double cputime = Math.round(walltime * cores * efficiency / 100.0 * 10) / 10.0;
        long finalTs = START_2026 + (jobId % 20_000_000_000L);
        long running = finalTs - walltime * 1000L;
        long started = running - 5_000 - random.nextInt(60_000);
        long saving = finalTs - 30_000 - random.nextInt(300_000);
        long maxrss = 500_000 + random.nextInt(3_500_000);
        return "{\"job_id\":" + jobId
                + ",\"aliencpuefficiency\":" + round1(efficiency)
                + ",\"cputime\":" + cputime
                + ",\"host\":\"" + "wn" + random.nextInt(3000) + "." + site.toLowerCase() + ".grid\""
                + ",\"maxrss\":" + maxrss
                + ",\"cpuefficiency\":" + round1(efficiency * (0.97 + random.nextDouble() * 0.03))
                + ",\"finaltimestamp\":" + finalTs
                + ",\"masterjobid\":" + (jobId - random.nextInt(1000))
                + ",\"pid\":" + (1000 + random.nextInt(4_000_000))
                + ",\"requestedcpus\":" + cores
                + ",\"requestedttl\":" + (mc ? 72_000 : 14_400)
                + ",\"runningtimestamp\":" + running
                + ",\"savingtimestamp\":" + saving
                + ",\"startedtimestamp\":" + started
                + ",\"walltime\":" + walltime
                + ",\"maxvirt\":" + (maxrss * 2 + random.nextInt(1_000_000))
                + ",\"laststatuschangetimestamp\":" + finalTs + "}";
    }

    /** A JSON array of the traces of jobs {@code first .. first+count-1}. */
    public static String jsonArray(long first, int count) {
        StringBuilder body = new StringBuilder(count * 560).append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(json(first + i));
        }
        return body.append(']').toString();
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

package ch.cern.alice.lakehouse.ingest.support;

import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds record envelopes as the collector writes them (docs/contracts.md). */
public final class Envelopes {

    public static final long RECEIVED_AT = 1_717_000_000_123L;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] SITES = {"CERN", "FZK", "CNAF", "CCIN2P3", "GSI", "KISTI_GSDC", "NDGF", "RAL"};

    private Envelopes() {
    }

    public static Map<String, Object> tracePayload(long jobId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("job_id", jobId);
        p.put("cputime", 3600.5);
        p.put("cpuefficiency", 87.0);
        p.put("finaltimestamp", 1_716_999_000_000L + jobId % 1000);
        p.put("host", "wn" + (jobId % 97) + ".cern.ch");
        p.put("maxrss", 2_000_000L);
        p.put("requestedcpus", 8);
        p.put("walltime", 4200);
        p.put("site", SITES[(int) (jobId % SITES.length)]);
        return p;
    }

    public static byte[] trace(long jobId, String site) {
        return envelope("trace", site, Long.toString(jobId), RECEIVED_AT, tracePayload(jobId));
    }

    public static byte[] envelope(String dataset, String site, String key, long receivedAt,
                                  Map<String, Object> payload) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("dataset", dataset);
        envelope.put("site", site);
        envelope.put("key", key);
        envelope.put("receivedAt", receivedAt);
        envelope.put("payload", payload);
        return JSON.writeValueAsBytes(envelope);
    }

    public static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }
}

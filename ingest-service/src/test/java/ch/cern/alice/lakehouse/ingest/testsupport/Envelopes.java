package ch.cern.alice.lakehouse.ingest.testsupport;

import ch.cern.alice.lakehouse.common.record.DedupKey;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds record envelopes as the collector writes them (docs/contracts.md). */
public final class Envelopes {

    public static final long RECEIVED_AT = 1_717_000_000_123L;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Envelopes() {
    }

    /** A trace record of site CERN. */
    public static Map<String, Object> tracePayload(long jobId) {
        return tracePayload(jobId, "CERN");
    }

    public static Map<String, Object> tracePayload(long jobId, String site) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("job_id", jobId);
        p.put("cputime", 3600.5);
        p.put("cpuefficiency", 87.0);
        p.put("finaltimestamp", 1_716_999_000_000L + jobId % 1000);
        p.put("host", "wn" + (jobId % 97) + ".cern.ch");
        p.put("maxrss", 2_000_000L);
        p.put("requestedcpus", 8);
        p.put("walltime", 4200);
        p.put("site", site);
        return p;
    }

    /** The envelope of {@link #tracePayload(long, String)} as the collector writes it. */
    public static byte[] trace(long jobId, String site) {
        return envelope("trace", site, key(site, jobId), RECEIVED_AT, tracePayload(jobId, site));
    }

    /** The dedup key of a record keyed by one value (trace, job_info, jdl). */
    public static String key(String site, Object keyValue) {
        return DedupKey.of(site, List.of(keyValue));
    }

    /** A job_info record as JAliEn reports a state change. */
    public static Map<String, Object> jobInfoPayload(long jobId, String site, String status, long stateChangeMillis) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("job_id", jobId);
        p.put("user_name", "aliprod");
        p.put("site", site);
        p.put("status", status);
        p.put("job_submit_timestamp", 1_716_990_000L);
        p.put("state_change_timestamp", stateChangeMillis);
        return p;
    }

    public static byte[] jobInfo(long jobId, String site, String status, long stateChangeMillis, long receivedAt) {
        return envelope("job_info", site, key(site, jobId), receivedAt,
                jobInfoPayload(jobId, site, status, stateChangeMillis));
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

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(byte[] json) {
        return JSON.readValue(json, Map.class);
    }

    public static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }
}

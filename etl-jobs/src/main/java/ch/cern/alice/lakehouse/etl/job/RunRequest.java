package ch.cern.alice.lakehouse.etl.job;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request line of the warm application's stdin protocol (see {@link WarmEtlMain}):
 * {@code {"op":"run","runId":"42","kind":"migrate","dataset":"trace","from":100,"to":2000}} or
 * {@code {"op":"cancel","runId":"42"}}. Any further scalar field of a run request is handed to the handler as a
 * {@code --name=value} argument of {@link JobConfig}, so a kind needing more settings needs no protocol change.
 *
 * @param params every scalar field of the request except op, runId, kind and dataset, as strings
 */
public record RunRequest(String op, String runId, String kind, String dataset, Map<String, String> params) {

    public static final String RUN = "run";
    public static final String CANCEL = "cancel";

    static RunRequest parse(JsonNode json) {
        String op = text(json, "op");
        String runId = text(json, "runId");
        if (op == null || runId == null) {
            throw new IllegalArgumentException("a request needs op and runId: " + json);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            String name = field.getKey();
            if (!List.of("op", "runId", "kind", "dataset").contains(name) && field.getValue().isValueNode()
                    && !field.getValue().isNull()) {
                if (!name.matches("[a-zA-Z][a-zA-Z0-9-]{0,40}")) {
                    throw new IllegalArgumentException("bad request field name '" + name + "'");
                }
                params.put(name, field.getValue().asText());
            }
        }
        return new RunRequest(op, runId, text(json, "kind"), text(json, "dataset"), params);
    }

    /**
     * A one-shot job's {@code --name=value} arguments as a run request (see {@link EtlJobMain}): {@code --kind},
     * {@code --run-id} and {@code --dataset} are the request's own, every other argument one of its params, as the
     * further fields of a warm request are. A blank kind means the default (migrate).
     */
    static RunRequest fromArgs(String[] args) {
        Map<String, String> named = JobConfig.named(args);
        String kind = named.remove("kind");
        String runId = named.remove("run-id");
        String dataset = named.remove("dataset");
        return new RunRequest(RUN, runId, kind == null || kind.isBlank() ? null : kind.strip(), dataset, named);
    }

    /**
     * The run's settings: connection settings and secrets from the environment as for a one-shot job, the rest
     * from the request ({@code from} and {@code to} become {@code --from=}/{@code --to=}).
     */
    public JobConfig jobConfig(Map<String, String> env) {
        List<String> args = new ArrayList<>();
        args.add("--dataset=" + dataset);
        args.add("--run-id=" + runId);
        params.forEach((k, v) -> args.add("--" + k + "=" + v));
        return JobConfig.from(args.toArray(String[]::new), env);
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}

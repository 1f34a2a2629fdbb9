package ch.cern.alice.lakehouse.query.protocol;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** Trino's {@code QueryResults} documents the gateway answers itself (SET SESSION ref, PREPARE, refusals ...). */
final class ProtocolResults {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private ProtocolResults() {
    }

    static ObjectNode stats(String state) {
        ObjectNode stats = JSON.createObjectNode();
        stats.put("state", state);
        stats.put("queued", "QUEUED".equals(state));
        stats.put("scheduled", !"QUEUED".equals(state));
        for (String field : List.of("nodes", "totalSplits", "queuedSplits", "runningSplits", "completedSplits",
                "cpuTimeMillis", "wallTimeMillis", "queuedTimeMillis", "elapsedTimeMillis", "processedRows",
                "processedBytes", "physicalInputBytes", "peakMemoryBytes", "spilledBytes")) {
            stats.put(field, 0);
        }
        return stats;
    }

    static ObjectNode result(String id, String infoUri, String state) {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", id);
        json.put("infoUri", infoUri);
        json.set("stats", stats(state));
        json.set("warnings", JSON.createArrayNode());
        return json;
    }

    /**
     * A finished statement of {@code updateType} (e.g. "SET SESSION") as Trino answers one: a column {@code result}
     * BOOLEAN holding {@code true} (JDBC reads an update's outcome from it).
     */
    static ObjectNode finished(String id, String infoUri, String updateType) {
        ObjectNode json = result(id, infoUri, "FINISHED");
        json.put("updateType", updateType);
        ArrayNode columns = json.putArray("columns");
        ObjectNode column = columns.addObject();
        column.put("name", "result");
        column.put("type", "boolean");
        ObjectNode signature = column.putObject("typeSignature");
        signature.put("rawType", "boolean");
        signature.putArray("arguments");
        json.putArray("data").addArray().add(true);
        return json;
    }

    /** A failed statement as Trino reports one: clients show {@code message}. */
    static ObjectNode failed(String id, String infoUri, String message, int code, String name, String type) {
        ObjectNode json = result(id, infoUri, "FAILED");
        ObjectNode error = JSON.createObjectNode();
        error.put("message", message);
        error.put("errorCode", code);
        error.put("errorName", name);
        error.put("errorType", type);
        json.set("error", error);
        return json;
    }

    /** Columns of VARCHAR (what the gateway reports of a statement it ran itself, e.g. a branch write's rows). */
    static ArrayNode varcharColumns(List<String> names) {
        ArrayNode columns = JSON.createArrayNode();
        for (String name : names) {
            ObjectNode column = columns.addObject();
            column.put("name", name);
            column.put("type", "varchar");
            ObjectNode signature = column.putObject("typeSignature");
            signature.put("rawType", "varchar");
            ArrayNode arguments = signature.putArray("arguments");
            ObjectNode length = arguments.addObject();
            length.put("kind", "LONG");
            length.put("value", Integer.MAX_VALUE);
        }
        return columns;
    }

    static void warn(ObjectNode json, String name, String message) {
        ArrayNode warnings = json.has("warnings") && json.get("warnings").isArray()
                ? (ArrayNode) json.get("warnings") : json.putArray("warnings");
        ObjectNode warning = warnings.addObject();
        ObjectNode code = warning.putObject("warningCode");
        code.put("code", 0x0100_0001);
        code.put("name", name);
        warning.put("message", message);
    }
}

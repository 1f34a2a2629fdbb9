package ch.cern.alice.lakehouse.versioning.delta;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses a Delta commit file: one JSON action per line (commitInfo, metaData, protocol, add, remove, txn, ...). */
public class DeltaCommitParser {

    private final JsonMapper mapper;

    public DeltaCommitParser(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** @param fileTime the object's modification time, used when commitInfo carries no timestamp */
    public DeltaCommit parse(long version, String content, Instant fileTime) {
        Instant timestamp = fileTime;
        String operation = null;
        Map<String, Long> metrics = new LinkedHashMap<>();
        List<DeltaCommit.FileAction> adds = new ArrayList<>();
        List<DeltaCommit.FileAction> removes = new ArrayList<>();
        String schema = null;
        List<String> partitionColumns = null;
        for (String line : content.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode action = mapper.readTree(line);
            if (action.has("commitInfo")) {
                JsonNode info = action.get("commitInfo");
                operation = info.path("operation").asString(null);
                JsonNode ts = info.has("inCommitTimestamp") ? info.get("inCommitTimestamp") : info.get("timestamp");
                if (ts != null && ts.canConvertToLong()) {
                    timestamp = Instant.ofEpochMilli(ts.asLong());
                }
                for (Map.Entry<String, JsonNode> metric : info.path("operationMetrics").properties()) {
                    parseLong(metric.getValue()).ifPresent(v -> metrics.put(metric.getKey(), v));
                }
            } else if (action.has("add")) {
                adds.add(fileAction(action.get("add")));
            } else if (action.has("remove")) {
                removes.add(fileAction(action.get("remove")));
            } else if (action.has("metaData")) {
                JsonNode meta = action.get("metaData");
                schema = meta.path("schemaString").asString(null);
                partitionColumns = new ArrayList<>();
                for (JsonNode column : meta.path("partitionColumns")) {
                    partitionColumns.add(column.asString());
                }
            }
        }
        return new DeltaCommit(version, timestamp, operation, Map.copyOf(metrics), List.copyOf(adds),
                List.copyOf(removes), schema, partitionColumns == null ? null : List.copyOf(partitionColumns));
    }

    private DeltaCommit.FileAction fileAction(JsonNode node) {
        Long numRecords = null;
        JsonNode stats = node.get("stats");
        if (stats != null && stats.isString() && !stats.asString().isBlank()) {
            JsonNode parsed = mapper.readTree(stats.asString());
            if (parsed.has("numRecords")) {
                numRecords = parsed.get("numRecords").asLong();
            }
        }
        return new DeltaCommit.FileAction(node.path("path").asString(null), node.path("dataChange").asBoolean(true),
                numRecords);
    }

    /** Spark writes operation metrics as strings ("5"); accept numbers too. */
    private static java.util.Optional<Long> parseLong(JsonNode value) {
        if (value.isNumber()) {
            return java.util.Optional.of(value.asLong());
        }
        try {
            return java.util.Optional.of(Long.parseLong(value.asString().strip()));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}

package ch.cern.alice.lakehouse.versioning.testsupport;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes Delta tables the way Spark + Delta Lake lay them out, but only their transaction log: commit files
 * {@code _delta_log/NNNNNNNNNNNNNNNNNNNN.json} with commitInfo (operation, operationMetrics as strings), protocol,
 * metaData (schemaString, partitionColumns) and add/remove actions with {@code stats.numRecords}. Data files are not
 * written: the versioning service only reads the log.
 */
public final class DeltaTableWriter {

    public record Column(String name, String type) {
    }

    private record DataFile(String path, long records) {
    }

    private static final class TableState {
        long version = -1;
        List<Column> columns = new ArrayList<>();
        List<String> partitionColumns = List.of();
        List<DataFile> files = new ArrayList<>();
    }

    private final S3Client s3;
    private final String bucket;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, TableState> tables = new HashMap<>();

    public DeltaTableWriter(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Version 0: a partitioned WRITE creating the table with {@code rows} rows in one file. */
    public synchronized long create(String table, List<Column> columns, List<String> partitionColumns, long rows,
                                    Instant at) {
        TableState state = new TableState();
        tables.put(table, state);
        state.columns = new ArrayList<>(columns);
        state.partitionColumns = partitionColumns;
        List<Map<String, Object>> actions = new ArrayList<>();
        actions.add(commitInfo("WRITE", at, Map.of("mode", "ErrorIfExists", "partitionBy",
                json.writeValueAsString(partitionColumns)), Map.of("numFiles", "1", "numOutputRows",
                String.valueOf(rows), "numOutputBytes", String.valueOf(rows * 100)), -1));
        actions.add(Map.of("protocol", Map.of("minReaderVersion", 1, "minWriterVersion", 2)));
        actions.add(metaData(state, at));
        actions.add(add(state, rows, at));
        return commit(table, state, actions);
    }

    /** A Spark MERGE: rewrites one file (updated rows), adds one with the inserts, deletes rows. */
    public synchronized long merge(String table, long inserted, long updated, long deleted, Instant at) {
        TableState state = state(table);
        List<Map<String, Object>> actions = new ArrayList<>();
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("numSourceRows", String.valueOf(inserted + updated));
        metrics.put("numTargetRowsInserted", String.valueOf(inserted));
        metrics.put("numTargetRowsUpdated", String.valueOf(updated));
        metrics.put("numTargetRowsDeleted", String.valueOf(deleted));
        metrics.put("numTargetRowsCopied", "0");
        metrics.put("numOutputRows", String.valueOf(inserted + updated));
        metrics.put("numTargetFilesAdded", "1");
        metrics.put("numTargetFilesRemoved", state.files.isEmpty() ? "0" : "1");
        actions.add(commitInfo("MERGE", at, Map.of("predicate", "[\"(s.job_id = t.job_id)\"]",
                "matchedPredicates", "[{\"actionType\":\"update\"}]",
                "notMatchedPredicates", "[{\"actionType\":\"insert\"}]"), metrics, state.version));
        long rewritten = 0;
        if (!state.files.isEmpty()) {
            DataFile old = state.files.remove(state.files.size() - 1);
            actions.add(remove(old, at));
            rewritten = old.records - deleted;
        }
        actions.add(add(state, rewritten + inserted, at));
        return commit(table, state, actions);
    }

    /** {@code ALTER TABLE ... ADD COLUMNS}: a new metaData action, no data change. */
    public synchronized long addColumns(String table, List<Column> added, Instant at) {
        TableState state = state(table);
        state.columns.addAll(added);
        List<Map<String, Object>> actions = new ArrayList<>();
        actions.add(commitInfo("ADD COLUMNS", at, Map.of("columns", json.writeValueAsString(added)), Map.of(),
                state.version));
        actions.add(metaData(state, at));
        return commit(table, state, actions);
    }

    /**
     * Simulates a checkpoint at {@code version} followed by log cleanup: writes {@code _last_checkpoint} and deletes
     * the JSON commit files before it (the Parquet checkpoint itself is not needed by the service and not written).
     */
    public synchronized void checkpointAndCleanUp(String table, long version) {
        put(table + "/_delta_log/_last_checkpoint", json.writeValueAsString(Map.of("version", version, "size",
                state(table).files.size() + 2)));
        for (long v = 0; v < version; v++) {
            long current = v;
            s3.deleteObject(b -> b.bucket(bucket).key(logKey(table, current)));
        }
    }

    public synchronized long version(String table) {
        return state(table).version;
    }

    private TableState state(String table) {
        TableState state = tables.get(table);
        if (state == null) {
            throw new IllegalStateException("table " + table + " was not created by this writer");
        }
        return state;
    }

    private long commit(String table, TableState state, List<Map<String, Object>> actions) {
        StringBuilder content = new StringBuilder();
        for (Map<String, Object> action : actions) {
            content.append(json.writeValueAsString(action)).append('\n');
        }
        state.version++;
        put(logKey(table, state.version), content.toString());
        return state.version;
    }

    private String logKey(String table, long version) {
        return table.replace('.', '/') + "/_delta_log/" + String.format("%020d.json", version);
    }

    private void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private Map<String, Object> commitInfo(String operation, Instant at, Map<String, String> parameters,
                                           Map<String, String> metrics, long readVersion) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("timestamp", at.toEpochMilli());
        info.put("operation", operation);
        info.put("operationParameters", parameters);
        if (readVersion >= 0) {
            info.put("readVersion", readVersion);
        }
        info.put("isolationLevel", "Serializable");
        info.put("isBlindAppend", operation.equals("WRITE"));
        info.put("operationMetrics", metrics);
        info.put("engineInfo", "Apache-Spark/4.0.4 Delta-Lake/4.0.1");
        info.put("txnId", UUID.randomUUID().toString());
        return Map.of("commitInfo", info);
    }

    private Map<String, Object> metaData(TableState state, Instant at) {
        List<Map<String, Object>> fields = state.columns.stream().map(c -> Map.<String, Object>of("name", c.name(),
                "type", c.type(), "nullable", true, "metadata", Map.of())).toList();
        String schemaString = json.writeValueAsString(Map.of("type", "struct", "fields", fields));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("id", UUID.randomUUID().toString());
        meta.put("format", Map.of("provider", "parquet", "options", Map.of()));
        meta.put("schemaString", schemaString);
        meta.put("partitionColumns", state.partitionColumns);
        meta.put("configuration", Map.of());
        meta.put("createdTime", at.toEpochMilli());
        return Map.of("metaData", meta);
    }

    private Map<String, Object> add(TableState state, long records, Instant at) {
        String path = "year=2026/month=1/part-00000-" + UUID.randomUUID() + ".c000.snappy.parquet";
        state.files.add(new DataFile(path, records));
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", path);
        add.put("partitionValues", Map.of("year", "2026", "month", "1"));
        add.put("size", records * 100 + 500);
        add.put("modificationTime", at.toEpochMilli());
        add.put("dataChange", true);
        add.put("stats", json.writeValueAsString(Map.of("numRecords", records, "minValues", Map.of(),
                "maxValues", Map.of(), "nullCount", Map.of())));
        return Map.of("add", add);
    }

    private Map<String, Object> remove(DataFile file, Instant at) {
        Map<String, Object> remove = new LinkedHashMap<>();
        remove.put("path", file.path());
        remove.put("deletionTimestamp", at.toEpochMilli());
        remove.put("dataChange", true);
        remove.put("extendedFileMetadata", true);
        remove.put("partitionValues", Map.of("year", "2026", "month", "1"));
        remove.put("size", file.records() * 100 + 500);
        return Map.of("remove", remove);
    }
}

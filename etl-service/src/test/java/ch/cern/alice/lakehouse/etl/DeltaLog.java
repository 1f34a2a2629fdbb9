package ch.cern.alice.lakehouse.etl;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a Delta table's transaction log straight from S3Proxy's data directory: the live data files and their
 * row counts (from the per-file stats Spark writes), the schema and the latest version. Test-only; no checkpoints
 * are expected in tables this small.
 */
final class DeltaLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Long> liveFiles = new HashMap<>();
    private JsonNode schema;
    private List<String> partitionColumns = List.of();
    private long version = -1;

    static DeltaLog read(Path table) throws IOException {
        return read(table, Long.MAX_VALUE);
    }

    /** The live data files (paths relative to the table) of an older version. */
    static List<String> filesAt(Path table, long version) throws IOException {
        return List.copyOf(read(table, version).liveFiles());
    }

    private static DeltaLog read(Path table, long upToVersion) throws IOException {
        DeltaLog log = new DeltaLog();
        List<Path> commits;
        try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
            commits = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).sorted()
                    .filter(f -> Long.parseLong(f.getFileName().toString().substring(0, 20)) <= upToVersion).toList();
        }
        for (Path commit : commits) {
            log.version = Long.parseLong(commit.getFileName().toString().substring(0, 20));
            for (String line : Files.readAllLines(commit)) {
                JsonNode action = JSON.readTree(line);
                if (action.has("add")) {
                    JsonNode add = action.get("add");
                    long rows = JSON.readTree(add.get("stats").asString()).get("numRecords").asLong();
                    log.liveFiles.put(add.get("path").asString(), rows);
                } else if (action.has("remove")) {
                    log.liveFiles.remove(action.get("remove").get("path").asString());
                } else if (action.has("metaData")) {
                    JsonNode meta = action.get("metaData");
                    log.schema = JSON.readTree(meta.get("schemaString").asString());
                    log.partitionColumns = JSON.convertValue(meta.get("partitionColumns"),
                            JSON.getTypeFactory().constructCollectionType(List.class, String.class));
                }
            }
        }
        return log;
    }

    long rowCount() {
        return liveFiles.values().stream().mapToLong(Long::longValue).sum();
    }

    java.util.Set<String> liveFiles() {
        return liveFiles.keySet();
    }

    int fileCount() {
        return liveFiles.size();
    }

    long version() {
        return version;
    }

    List<String> partitionColumns() {
        return partitionColumns;
    }

    /** Column name -> Delta type name ("long", "timestamp", ...). */
    Map<String, String> columnTypes() {
        Map<String, String> types = new HashMap<>();
        for (JsonNode field : schema.get("fields")) {
            types.put(field.get("name").asString(), field.get("type").asString());
        }
        return types;
    }
}

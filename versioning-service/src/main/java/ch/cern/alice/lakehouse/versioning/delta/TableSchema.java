package ch.cern.alice.lakehouse.versioning.delta;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Top-level columns (name -> Spark type, nested types as their JSON) and partition columns of a Delta table. */
public record TableSchema(Map<String, String> columns, List<String> partitionColumns) {

    public static TableSchema parse(JsonMapper mapper, String schemaString, List<String> partitionColumns) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (JsonNode field : mapper.readTree(schemaString).path("fields")) {
            JsonNode type = field.path("type");
            columns.put(field.path("name").asString(), type.isString() ? type.asString() : type.toString());
        }
        return new TableSchema(columns, partitionColumns == null ? List.of() : partitionColumns);
    }

    public record Column(String name, String type) {
    }

    public record TypeChange(String name, String fromType, String toType) {
    }

    public record Diff(List<Column> added, List<Column> removed, List<TypeChange> changed,
                       List<String> partitionColumnsBefore, List<String> partitionColumnsAfter) {

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty()
                    && partitionColumnsBefore.equals(partitionColumnsAfter);
        }
    }

    public Diff diffTo(TableSchema after) {
        List<Column> added = new ArrayList<>();
        List<Column> removed = new ArrayList<>();
        List<TypeChange> changed = new ArrayList<>();
        after.columns.forEach((name, type) -> {
            String before = columns.get(name);
            if (before == null) {
                added.add(new Column(name, type));
            } else if (!before.equals(type)) {
                changed.add(new TypeChange(name, before, type));
            }
        });
        columns.forEach((name, type) -> {
            if (!after.columns.containsKey(name)) {
                removed.add(new Column(name, type));
            }
        });
        return new Diff(added, removed, changed, partitionColumns, after.partitionColumns);
    }
}

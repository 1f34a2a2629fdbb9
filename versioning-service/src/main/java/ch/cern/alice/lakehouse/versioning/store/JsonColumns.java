package ch.cern.alice.lakehouse.versioning.store;

import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads and writes the jsonb columns (table maps, properties). */
@Component
public class JsonColumns {

    private static final TypeReference<TreeMap<String, Long>> TABLE_MAP = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JsonMapper mapper;

    public JsonColumns(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        return mapper.writeValueAsString(value);
    }

    public SortedMap<String, Long> tables(String json) {
        return mapper.readValue(json, TABLE_MAP);
    }

    public Map<String, Object> object(String json) {
        return mapper.readValue(json, OBJECT);
    }
}

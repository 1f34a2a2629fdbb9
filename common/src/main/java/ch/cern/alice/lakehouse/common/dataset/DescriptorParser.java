package ch.cern.alice.lakehouse.common.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the small line-oriented descriptor format of {@code lakehouse/datasets/*.dataset}:
 * <pre>
 * dataset trace
 * description Per-job resource usage trace
 * key job_id
 * time finaltimestamp
 * partition year month
 * site site
 * order laststatuschangetimestamp
 * field job_id BIGINT required -- AliEn job id
 * field mem_mb INT derived=jdl:MemorySize -- from the JDL
 * </pre>
 * Blank lines and lines starting with '#' are ignored. A plain format keeps {@code common} free of JSON libraries,
 * which matters because Spark and Spring Boot need different Jackson versions.
 */
public final class DescriptorParser {

    private DescriptorParser() {
    }

    public static DatasetDescriptor parse(String source, String text) {
        String name = null;
        String description = "";
        List<String> key = List.of();
        String time = null;
        List<String> partitions = List.of();
        String site = null;
        String order = null;
        List<FieldSpec> fields = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\\R")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] headRest = line.split("\\s+", 2);
            String rest = headRest.length > 1 ? headRest[1].strip() : "";
            try {
                switch (headRest[0]) {
                    case "dataset" -> name = rest;
                    case "description" -> description = rest;
                    case "key" -> key = List.of(rest.split("\\s+"));
                    case "time" -> time = rest;
                    case "partition" -> partitions = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
                    case "site" -> site = rest;
                    case "order" -> order = rest;
                    case "field" -> fields.add(parseField(rest));
                    default -> throw new IllegalArgumentException("unknown directive '" + headRest[0] + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (name == null) {
            throw new IllegalArgumentException(source + ": missing 'dataset' line");
        }
        return new DatasetDescriptor(name, description, fields, key, time, partitions, site, order);
    }

    private static FieldSpec parseField(String spec) {
        String description = "";
        int comment = spec.indexOf("--");
        if (comment >= 0) {
            description = spec.substring(comment + 2).strip();
            spec = spec.substring(0, comment).strip();
        }
        String[] parts = spec.split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("field needs a name and a type: " + spec);
        }
        FieldType type;
        try {
            type = FieldType.valueOf(parts[1].toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type " + parts[1] + " for field " + parts[0]);
        }
        boolean required = false;
        String derivedFrom = null;
        for (int i = 2; i < parts.length; i++) {
            if (parts[i].equals("required")) {
                required = true;
            } else if (parts[i].startsWith("derived=")) {
                derivedFrom = parts[i].substring("derived=".length());
            } else {
                throw new IllegalArgumentException("unknown field option " + parts[i]);
            }
        }
        if (!parts[0].matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("field name must be a lower-case identifier: " + parts[0]);
        }
        return new FieldSpec(parts[0], type, required, derivedFrom, description);
    }
}

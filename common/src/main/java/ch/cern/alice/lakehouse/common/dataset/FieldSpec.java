package ch.cern.alice.lakehouse.common.dataset;

import java.util.Objects;

/**
 * One column of a dataset.
 *
 * @param derivedFrom where a derived column comes from, e.g. {@code jdl:MemorySize} (null for columns sent by sites)
 */
public record FieldSpec(String name, FieldType type, boolean required, String derivedFrom, String description) {

    public FieldSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }

    public boolean isDerived() {
        return derivedFrom != null;
    }
}

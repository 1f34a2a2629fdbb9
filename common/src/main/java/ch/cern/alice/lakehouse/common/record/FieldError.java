package ch.cern.alice.lakehouse.common.record;

/** What is wrong with one field of one record. */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field == null ? message : field + ": " + message;
    }
}

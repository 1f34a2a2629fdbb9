package ch.cern.alice.lakehouse.collector.intake;

import ch.cern.alice.lakehouse.common.record.FieldError;

import java.util.List;

/** Why the record at {@code index} of the body was not accepted. */
public record RecordRejection(int index, List<FieldError> errors) {
}

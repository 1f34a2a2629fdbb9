package ch.cern.alice.lakehouse.collector.intake;

import ch.cern.alice.lakehouse.common.record.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** Why the record at {@code index} of the body was not accepted. */
public record RecordRejection(
        @Schema(description = "0-based position of the record in the body") int index,
        @Schema(description = "what is wrong; field is null for a problem of the whole record")
        List<FieldError> errors) {
}

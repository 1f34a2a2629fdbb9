package ch.cern.alice.lakehouse.ingest.api;

import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterService;
import ch.cern.alice.lakehouse.support.api.ApiExceptionHandlerBase;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem details with a {@code detail} that says what was wrong; the refusals every service shares come
 * from {@link ApiExceptionHandlerBase}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ApiExceptionHandlerBase {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** 400 with {@code errors}: [{field, message}] when validation named the fields. */
    @ExceptionHandler(DeadLetterService.InvalidReplayException.class)
    ProblemDetail invalidReplay(DeadLetterService.InvalidReplayException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage()
                + (e.errors().isEmpty() ? "" : ": " + String.join("; ",
                e.errors().stream().map(Object::toString).toList())));
        problem.setTitle("Replay refused");
        problem.setProperty("errors", e.errors());
        return problem;
    }

    @ExceptionHandler(DeadLetterService.NotFoundException.class)
    ProblemDetail notFound(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(DeadLetterService.ConflictException.class)
    ProblemDetail conflict(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(DeadLetterService.ReplayNotAckedException.class)
    ProblemDetail kafkaUnavailable(RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Kafka unavailable");
        return problem;
    }

    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ProblemDetail databaseUnavailable(org.springframework.core.NestedRuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the dead-letter store cannot be read: " + e.getMostSpecificCause().getMessage());
        problem.setTitle("Database unavailable");
        return problem;
    }
}

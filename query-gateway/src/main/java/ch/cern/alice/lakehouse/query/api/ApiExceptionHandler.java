package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.branch.BranchWriteConflictException;
import ch.cern.alice.lakehouse.query.branch.WriteForbiddenException;
import ch.cern.alice.lakehouse.query.domain.QueryNotFoundException;
import ch.cern.alice.lakehouse.query.domain.TooManyQueriesException;
import ch.cern.alice.lakehouse.query.export.ExportTooLargeException;
import ch.cern.alice.lakehouse.query.saved.SavedQueryForbiddenException;
import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;
import ch.cern.alice.lakehouse.query.trino.TrinoCallException;
import ch.cern.alice.lakehouse.query.versioning.VersioningException;
import ch.cern.alice.lakehouse.support.api.ApiExceptionHandlerBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.sql.SQLException;

/**
 * RFC 9457 problem details with a detail the client can act on: the gateway's own exceptions; the shared answers
 * (unreadable body, Spring MVC's refusals, 403, 500 with a reference) come from {@link ApiExceptionHandlerBase}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ApiExceptionHandlerBase {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidQueryException.class)
    ProblemDetail invalid(InvalidQueryException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(QueryNotFoundException.class)
    ProblemDetail notFound(QueryNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(QueryController.QueryNotExportableException.class)
    ProblemDetail notExportable(QueryController.QueryNotExportableException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(ExportTooLargeException.class)
    ProblemDetail exportTooLarge(ExportTooLargeException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
    }

    @ExceptionHandler(TooManyQueriesException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyQueriesException e) {
        HttpStatus status = e.gatewayFull() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.TOO_MANY_REQUESTS;
        return ResponseEntity.status(status).header("Retry-After", "5").body(problem(status, e.getMessage()));
    }

    @ExceptionHandler(WriteForbiddenException.class)
    ProblemDetail writeForbidden(WriteForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, e.getMessage());
    }

    /** Logged as {@code event=access_denied ... by=service} by service-support's LoginThrottleFilter (any 403). */
    @ExceptionHandler(SavedQueryForbiddenException.class)
    ProblemDetail savedQueryForbidden(SavedQueryForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(BranchWriteConflictException.class)
    ProblemDetail branchConflict(BranchWriteConflictException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    /** A 4xx of versioning-service is passed on with its detail; an outage is a bad gateway. */
    @ExceptionHandler(VersioningException.class)
    ProblemDetail versioning(VersioningException e) {
        HttpStatus answered = HttpStatus.resolve(e.status());
        HttpStatus status = answered != null && answered.is4xxClientError() ? answered : HttpStatus.BAD_GATEWAY;
        return problem(status, "versioning-service: " + e.getMessage());
    }

    @ExceptionHandler(TrinoCallException.class)
    ProblemDetail trinoCall(TrinoCallException e) {
        log.warn("Trino call failed", e);
        return problem(HttpStatus.BAD_GATEWAY, e.getMessage());
    }

    @ExceptionHandler(SQLException.class)
    ProblemDetail trino(SQLException e) {
        log.warn("Trino call failed", e);
        return problem(HttpStatus.BAD_GATEWAY, "Trino call failed: " + e.getMessage());
    }
}

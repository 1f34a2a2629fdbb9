package ch.cern.alice.lakehouse.collector.api;

import ch.cern.alice.lakehouse.collector.config.CollectorProperties;
import ch.cern.alice.lakehouse.collector.intake.BodyTooLargeException;
import ch.cern.alice.lakehouse.collector.intake.MalformedBodyException;
import ch.cern.alice.lakehouse.collector.intake.PublishFailedException;
import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.support.api.ApiExceptionHandlerBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.io.UncheckedIOException;

/**
 * Every refusal as an RFC 9457 problem whose {@code detail} says what was wrong; the refusals every service shares
 * (unreadable JSON, 405, 403, unexpected 500...) come from {@link ApiExceptionHandlerBase}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ApiExceptionHandlerBase {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final DatasetCatalog catalog;
    private final String retryAfterSeconds;

    ApiExceptionHandler(DatasetCatalog catalog, CollectorProperties properties) {
        this.catalog = catalog;
        this.retryAfterSeconds = Long.toString(properties.retryAfterSeconds());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> apiKeyRejected(ApiKeyRejectedException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + RecordsController.API_KEY_HEADER + "\"")
                .body(problem(HttpStatus.UNAUTHORIZED, e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> forbidden(DatasetForbiddenException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem(HttpStatus.FORBIDDEN, e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownDataset(DatasetCatalog.UnknownDatasetException e) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setProperty("knownDatasets", catalog.names());
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unsupportedBody(UnsupportedBodyException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> malformed(MalformedBodyException e) {
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unreadable(UncheckedIOException e) {
        log.debug("Could not read a request body", e);
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST,
                "could not read the request body: " + e.getCause().getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(problem(HttpStatus.CONTENT_TOO_LARGE, e.getMessage()
                        + "; split the records into smaller requests"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooBusy(TooBusyException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> kafkaUnavailable(PublishFailedException e) {
        log.warn("Answering 503: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()
                        + "; no record of this request was accepted, send the whole batch again"));
    }
}

package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.support.api.ApiExceptionHandlerBase;
import ch.cern.alice.lakehouse.versioning.domain.BadRequestException;
import ch.cern.alice.lakehouse.versioning.domain.ConflictException;
import ch.cern.alice.lakehouse.versioning.domain.ForbiddenException;
import ch.cern.alice.lakehouse.versioning.domain.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps domain errors to RFC 9457 problem details with a clear {@code detail}; the shared answers (unreadable body,
 * validation, 403 for a signed-in user, 500 with a reference) come from {@link ApiExceptionHandlerBase}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ApiExceptionHandlerBase {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(BadRequestException.class)
    ProblemDetail badRequest(BadRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @Override
    protected String accessDeniedDetail() {
        return "your role does not allow this (viewers read; researchers branch, tag and commit on their own "
                + "branches; admins move main and delete tags)";
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, e.getMessage());
        e.details().forEach(problem::setProperty);
        return problem;
    }

    @ExceptionHandler(SdkException.class)
    ProblemDetail storageUnavailable(SdkException e) {
        log.warn("S3 request failed", e);
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "reading the Delta log from S3 failed: " + e.getMessage());
    }
}

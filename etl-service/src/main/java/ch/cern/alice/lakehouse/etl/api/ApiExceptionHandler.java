package ch.cern.alice.lakehouse.etl.api;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.run.RunService;
import ch.cern.alice.lakehouse.support.api.ApiExceptionHandlerBase;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem details with a {@code detail} that says what was wrong; the refusals every service shares come
 * from {@link ApiExceptionHandlerBase}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ApiExceptionHandlerBase {

    @ExceptionHandler({DatasetCatalog.UnknownDatasetException.class, IllegalArgumentException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(RunService.RunNotFoundException.class)
    ProblemDetail notFound(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(RunService.RunConflictException.class)
    ProblemDetail conflict(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}

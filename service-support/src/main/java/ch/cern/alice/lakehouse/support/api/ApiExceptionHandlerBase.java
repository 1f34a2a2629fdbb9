package ch.cern.alice.lakehouse.support.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The error answers every service shares: RFC 9457 problem details ({@code title}, {@code status}, {@code detail},
 * {@code instance}; {@code type} is left out while it is {@code about:blank}) whose {@code detail} says what was
 * wrong. A service's {@code <service>.api.ApiExceptionHandler} extends it ({@code @RestControllerAdvice}) and adds
 * its own exceptions with {@link #problem(HttpStatus, String)}; a handler of a more specific exception type wins.
 *
 * <p>What it answers for every service:
 * <ul>
 *   <li>Spring MVC's own refusals (405 method not allowed with {@code Allow}, 415, 406, missing parameter, type
 *       mismatch, 413 upload too large, 404 no such resource, ...) as {@link ResponseEntityExceptionHandler} does;</li>
 *   <li>400 for an unreadable body ({@code detail} "request body is not valid JSON for this endpoint: ...");</li>
 *   <li>400 for failed bean validation, with {@code errors}: [{field, message}];</li>
 *   <li>403 for a signed-in user whose role does not allow a method ({@link #accessDeniedDetail()}); an anonymous
 *       caller is left to Spring Security (401);</li>
 *   <li>500 for anything else, with a {@code reference} to the log line and nothing of the exception itself
 *       (exceptions annotated {@link ResponseStatus} and answers already under way are left to Spring).</li>
 * </ul>
 */
public abstract class ApiExceptionHandlerBase extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandlerBase.class);

    /** A problem with the status's reason phrase as title. */
    protected static ProblemDetail problem(HttpStatus status, String detail) {
        return ProblemDetail.forStatusAndDetail(status, detail);
    }

    /** A problem with its own title (e.g. "Kafka unavailable"). */
    protected static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    /** The {@code detail} of a 403 for a signed-in user; services name what their roles may do. */
    protected String accessDeniedDetail() {
        return "your role does not allow this";
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(e, problem(HttpStatus.BAD_REQUEST,
                "request body is not valid JSON for this endpoint: " + e.getMostSpecificCause().getMessage()),
                headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(fieldError(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors()
                .forEach(error -> errors.add(fieldError(error.getObjectName(), error.getDefaultMessage())));
        return handleExceptionInternal(e, invalid(errors), headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(fieldError(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        return handleExceptionInternal(e, invalid(errors), headers, status, request);
    }

    private static ProblemDetail invalid(List<Map<String, String>> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid request: " + String.join("; ",
                errors.stream().map(error -> error.get("field") + ": " + error.get("message")).toList()));
        problem.setProperty("errors", errors);
        return problem;
    }

    private static Map<String, String> fieldError(String field, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        return error;
    }

    /** 403 for a signed-in user; an anonymous caller's denial goes back to Spring Security (401). */
    @ExceptionHandler(AccessDeniedException.class)
    public ProblemDetail accessDenied(AccessDeniedException e) throws AccessDeniedException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            throw e;
        }
        return problem(HttpStatus.FORBIDDEN, accessDeniedDetail());
    }

    /** Anything no other handler took: logged with a reference, answered 500 without the exception's text. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request,
            HttpServletResponse response) throws Exception {
        if (e instanceof AuthenticationException || response.isCommitted()
                || AnnotatedElementUtils.hasAnnotation(e.getClass(), ResponseStatus.class)) {
            throw e;
        }
        String reference = UUID.randomUUID().toString();
        log.error("Unexpected error answering {} {} (reference {})", request.getMethod(), request.getRequestURI(),
                reference, e);
        ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "the service failed unexpectedly; its log names the cause under reference " + reference);
        problem.setProperty("reference", reference);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }
}

package ch.cern.alice.lakehouse.webui.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;

/** Every {@code /api/v1/**} call goes to the service that owns the path; the backends enforce roles. */
@RestController
public class ApiProxyController {

    private final BackendRoutes routes;
    private final HttpForwarder forwarder;

    public ApiProxyController(BackendRoutes routes, HttpForwarder forwarder) {
        this.routes = routes;
        this.forwarder = forwarder;
    }

    @RequestMapping("/api/v1/**")
    public ResponseEntity<ProblemDetail> proxy(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Backend backend = routes.route(path).orElse(null);
        if (backend == null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no service answers " + path + " (known: /api/v1/queries, saved-queries, catalog, versions, "
                            + "etl, stats, ingest)");
            problem.setInstance(URI.create(path));
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
        }
        forwarder.forward(backend, request, response);
        return null;
    }

    @ExceptionHandler(BackendUnavailableException.class)
    public ResponseEntity<ProblemDetail> backendUnavailable(BackendUnavailableException e,
                                                            HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle("Backend unavailable");
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(e.status()).body(problem);
    }
}

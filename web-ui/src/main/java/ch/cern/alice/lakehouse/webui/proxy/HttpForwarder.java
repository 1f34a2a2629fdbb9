package ch.cern.alice.lakehouse.webui.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;

/**
 * Forwards one request to a backend and streams the answer back: status, headers (Authorization included) and
 * body pass through unchanged, bodies are never buffered whole, so large exports flow straight to the browser.
 */
@Component
public class HttpForwarder {

    private static final Logger log = LoggerFactory.getLogger(HttpForwarder.class);

    /** Hop-by-hop headers (RFC 9110 7.6.1) and those the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "http2-settings");

    /**
     * A Basic challenge would make the browser pop up its own login dialog over the SPA, which signs in by itself.
     */
    private static final Set<String> NOT_RETURNED = Set.of("www-authenticate");

    private static final int BUFFER_SIZE = 16 * 1024;

    private final HttpClient client;

    public HttpForwarder(BackendProperties properties) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .build();
    }

    public void forward(Backend backend, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        URI target = backend.target(request.getRequestURI().substring(request.getContextPath().length()),
                request.getQueryString());
        HttpResponse<InputStream> answer = send(backend, target, outgoing(request, target));
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(":") || NOT_FORWARDED.contains(lower) || NOT_RETURNED.contains(lower)) {
                return;
            }
            values.forEach(v -> response.addHeader(name, v));
        });
        answer.headers().firstValueAsLong("content-length").ifPresent(response::setContentLengthLong);
        try (InputStream body = answer.body()) {
            stream(body, response.getOutputStream());
        }
    }

    private HttpRequest outgoing(HttpServletRequest request, URI target) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .method(request.getMethod(), bodyOf(request));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                builder.header(name, value);
            }
        }
        String host = request.getHeader("Host");
        if (host != null) {
            builder.header("X-Forwarded-Host", host);
        }
        builder.header("X-Forwarded-Proto", request.getScheme());
        builder.header("X-Forwarded-For", request.getRemoteAddr());
        return builder.build();
    }

    private static HttpRequest.BodyPublisher bodyOf(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (length == 0 || (length < 0 && !chunked)) {
            return HttpRequest.BodyPublishers.noBody();
        }
        InputStream in = request.getInputStream();
        HttpRequest.BodyPublisher streamed = HttpRequest.BodyPublishers.ofInputStream(() -> in);
        return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(streamed, length) : streamed;
    }

    private HttpResponse<InputStream> send(Backend backend, URI target, HttpRequest outgoing) throws IOException {
        try {
            return client.send(outgoing, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new BackendUnavailableException(HttpStatus.GATEWAY_TIMEOUT, backend.name()
                    + " did not accept a connection at " + backend.baseUrl() + " within "
                    + client.connectTimeout().map(d -> d.toMillis() + " ms").orElse("the timeout"), e);
        } catch (ConnectException e) {
            throw new BackendUnavailableException(HttpStatus.BAD_GATEWAY,
                    backend.name() + " is not reachable at " + backend.baseUrl() + " (connection refused)", e);
        } catch (IOException | UnresolvedAddressException e) {
            log.warn("{} {} failed: {}", outgoing.method(), target, e.toString());
            throw new BackendUnavailableException(HttpStatus.BAD_GATEWAY, backend.name() + " is not reachable at "
                    + backend.baseUrl() + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(HttpStatus.SERVICE_UNAVAILABLE,
                    "interrupted while waiting for " + backend.name(), e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Copies as data arrives, flushing whenever the backend pauses, so slow streams reach the client early. */
    private static void stream(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (in.available() == 0) {
                out.flush();
            }
        }
        out.flush();
    }
}

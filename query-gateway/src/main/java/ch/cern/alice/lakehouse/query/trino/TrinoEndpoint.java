package ch.cern.alice.lakehouse.query.trino;

import ch.cern.alice.lakehouse.query.config.TrinoProperties;
import org.springframework.stereotype.Component;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;

/**
 * Trino's HTTP endpoint as the gateway's principal: the base URL of {@code LAKEHOUSE_TRINO_URL}, the gateway's login
 * ({@code LAKEHOUSE_TRINO_USER}/{@code PASSWORD}) and Trino's certificate ({@code LAKEHOUSE_TRINO_TRUSTSTORE}, always
 * verified): the same settings as the gateway's JDBC connections, for the calls that speak Trino's client protocol
 * directly.
 */
@Component
public class TrinoEndpoint {

    private final URI base;
    private final String authorization;
    private final String gatewayUser;
    private final HttpClient http;

    public TrinoEndpoint(TrinoProperties trino) {
        String url = trino.url();
        String rest = url.startsWith("jdbc:trino://") ? url.substring("jdbc:trino://".length()) : url;
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int i = rest.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        boolean truststore = trino.truststore() != null && !trino.truststore().isBlank();
        boolean tls = trino.authenticated() || truststore || url.contains("SSL=true");
        this.base = URI.create((tls ? "https://" : "http://") + rest.substring(0, end));
        this.gatewayUser = trino.user();
        this.authorization = trino.authenticated() ? "Basic " + Base64.getEncoder().encodeToString(
                (trino.user() + ":" + trino.password()).getBytes(StandardCharsets.UTF_8)) : null;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (truststore) {
            builder.sslContext(sslContext(Path.of(trino.truststore()), trino.truststorePassword()));
        }
        this.http = builder.build();
    }

    public URI base() {
        return base;
    }

    /** Trino's own principal: a lakehouse user of that name must never reach Trino as it. */
    public String gatewayUser() {
        return gatewayUser;
    }

    /** A request to {@code uri} (Trino's) with the gateway's login. */
    public HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException {
        return send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The response body as a stream: read as far as needed, then closed (nothing is buffered beyond that). */
    public HttpResponse<InputStream> open(HttpRequest request) throws IOException {
        return send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
        try {
            return http.send(request, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Trino", e);
        }
    }

    /** Only URIs of Trino itself are followed (a nextUri elsewhere would send the gateway's login there). */
    public boolean isTrino(URI uri) {
        return uri != null && base.getScheme().equalsIgnoreCase(uri.getScheme())
                && base.getHost().equalsIgnoreCase(uri.getHost()) && base.getPort() == uri.getPort();
    }

    public static SSLContext sslContext(Path truststore, String password) {
        try {
            KeyStore store;
            byte[] bytes = Files.readAllBytes(truststore);
            if (new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).contains("-----BEGIN")) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(truststore)) {
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("trino-" + i++, certificate);
                    }
                }
            } else {
                store = KeyStore.getInstance(truststore.toFile(),
                        password == null ? null : password.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read Trino's certificate from LAKEHOUSE_TRINO_TRUSTSTORE="
                    + truststore + ": " + e.getMessage(), e);
        }
    }
}

package ch.cern.alice.lakehouse.support.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Real HTTP calls to the service under test. */
final class Http {

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    Http(int port) {
        this.port = port;
    }

    /**
     * {@code user} null = no credentials; {@code client} null = no X-Forwarded-For (the caller is 127.0.0.1), else
     * one X-Forwarded-For header line per value, as a proxy that copies the client's line and appends its own sends.
     */
    HttpResponse<String> send(String method, String path, String user, String password, String... client)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (client != null) {
            for (String line : client) {
                if (line != null) {
                    b.header("X-Forwarded-For", line);
                }
            }
        }
        return client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String user, String password, String... client) throws Exception {
        return send("GET", path, user, password, client);
    }

    private HttpClient client() {
        return client;
    }
}

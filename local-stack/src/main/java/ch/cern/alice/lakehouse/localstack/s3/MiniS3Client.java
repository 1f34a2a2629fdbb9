package ch.cern.alice.lakehouse.localstack.s3;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The handful of path-style S3 calls the local stack needs: create/list buckets, put/get objects. */
public final class MiniS3Client {

    private static final Pattern BUCKET_NAME = Pattern.compile("<Name>([^<]+)</Name>");

    private final URI endpoint;
    private final SigV4Signer signer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public MiniS3Client(URI endpoint, String accessKey, String secretKey, String region) {
        String e = endpoint.toString();
        this.endpoint = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
        this.signer = new SigV4Signer(accessKey, secretKey, region);
    }

    /** Creates the bucket; true if it was created, false if it already existed and is ours. */
    public boolean createBucketIfMissing(String bucket) throws IOException {
        HttpResponse<String> r = send("PUT", "/" + bucket, new byte[0]);
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 409 && r.body().contains("BucketAlreadyOwnedByYou")) {
            return false;
        }
        throw new IOException("create bucket " + bucket + " failed: HTTP " + r.statusCode() + " " + r.body());
    }

    public List<String> listBuckets() throws IOException {
        HttpResponse<String> r = expectOk(send("GET", "/", new byte[0]), "list buckets");
        List<String> names = new ArrayList<>();
        Matcher m = BUCKET_NAME.matcher(r.body());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    public void putObject(String bucket, String key, byte[] content) throws IOException {
        expectOk(send("PUT", "/" + bucket + "/" + key, content), "put " + bucket + "/" + key);
    }

    public String getObject(String bucket, String key) throws IOException {
        return expectOk(send("GET", "/" + bucket + "/" + key, new byte[0]), "get " + bucket + "/" + key).body();
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws IOException {
        URI uri = URI.create(endpoint + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign(method, uri, body, ZonedDateTime.now()).forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static HttpResponse<String> expectOk(HttpResponse<String> r, String what) throws IOException {
        if (r.statusCode() / 100 != 2) {
            throw new IOException(what + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return r;
    }
}

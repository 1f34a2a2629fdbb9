package ch.cern.alice.lakehouse.s3proxy;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The one S3Proxy configuration of the project: filesystem-nio2 provider (every directory under the base dir is a
 * bucket, objects are plain files), SigV4 (and V2) authentication, path-style addressing on 127.0.0.1.
 */
public record S3ProxyConfig(Path baseDir, int port, String accessKey, String secretKey) {

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Writes the properties file (it holds the secret: owner-only where the file system allows). */
    public Path write(Path file) throws IOException {
        Files.createDirectories(baseDir);
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", endpoint());
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        // the AWS SDK v2 (Trino, hadoop-aws) sends headers S3Proxy does not know, e.g. on listings
        p.setProperty("s3proxy.ignore-unknown-headers", "true");
        p.setProperty("s3proxy.identity", accessKey);
        p.setProperty("s3proxy.credential", secretKey);
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        p.setProperty("jclouds.identity", accessKey);
        p.setProperty("jclouds.credential", secretKey);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "S3Proxy configuration written by s3proxy-runner");
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return file;
    }
}

package ch.cern.alice.lakehouse.s3proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class S3ProxyConfigTest {

    @Test
    void writesAFilesystemSigV4ConfigReadableOnlyByTheOwner(@TempDir Path dir) throws Exception {
        S3ProxyConfig config = new S3ProxyConfig(dir.resolve("data"), 9123, "access", "secret");
        Path file = config.write(dir.resolve("conf/s3proxy.properties"));

        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        assertThat(p.getProperty("s3proxy.endpoint")).isEqualTo("http://127.0.0.1:9123");
        assertThat(p.getProperty("s3proxy.authorization")).isEqualTo("aws-v2-or-v4");
        assertThat(p.getProperty("s3proxy.ignore-unknown-headers")).isEqualTo("true");
        assertThat(p.getProperty("s3proxy.identity")).isEqualTo("access");
        assertThat(p.getProperty("s3proxy.credential")).isEqualTo("secret");
        assertThat(p.getProperty("jclouds.provider")).isEqualTo("filesystem-nio2");
        assertThat(p.getProperty("jclouds.filesystem.basedir")).isEqualTo(dir.resolve("data").toString());
        assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(config.endpoint()).isEqualTo("http://127.0.0.1:9123");
    }
}

package ch.cern.alice.lakehouse.trino;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrinoSecretsTest {

    @Test
    void groupsAreTheRolesOfTheLakehouseUsersAndMetricsAccountsGetNone() {
        String users = "admin:{bcrypt}$2y$10$abc:admin; alice :{noop}pa:ss:researcher;bob:{noop}x:RESEARCHER;"
                + "viewer:{noop}v:viewer;lakehouse-service:{noop}s:service;scraper:{noop}m:metrics;;broken;"
                + "a,b:{noop}x:researcher";

        assertThat(TrinoSecrets.groupsFile(users)).isEqualTo("""
                admin:admin
                researcher:alice,bob
                viewer:viewer
                service:lakehouse-service
                """);
        assertThat(TrinoSecrets.groupsFile(null)).isEmpty();
    }

    @Test
    void thePasswordFileHoldsBcryptHashesOfThePrincipalsPasswords() {
        String file = TrinoSecrets.passwordFile(TrinoSecrets.principals("gateway-secret-1", "admin-secret-22"));

        List<String> lines = file.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("gateway:$2a$10$").doesNotContain("gateway-secret-1");
        assertThat(lines.get(1)).startsWith("admin:$2a$10$");
        assertThat(BCrypt.checkpw("gateway-secret-1", lines.get(0).substring("gateway:".length()))).isTrue();
        assertThat(BCrypt.checkpw("admin-secret-22", lines.get(1).substring("admin:".length()))).isTrue();
        assertThat(BCrypt.checkpw("admin-secret-2", lines.get(1).substring("admin:".length()))).isFalse();
    }

    @Test
    void randomSecretsAreLettersAndDigitsAndDiffer() {
        String a = TrinoSecrets.randomSecret(32);
        assertThat(a).hasSize(32).matches("[A-Za-z0-9]+");
        assertThat(TrinoSecrets.randomSecret(32)).isNotEqualTo(a);
    }

    @Test
    void theKeyPairIsForTheLoopbackAddressAndItsFilesArePrivate(@TempDir Path tmp) throws Exception {
        Path dir = TrinoSecrets.createPrivateDirectory(tmp.resolve("secrets"));
        TrinoSecrets.writeKeyPair(Path.of(System.getProperty("java.home"), "bin", "keytool"), dir, "store-secret-1");

        X509Certificate cert;
        try (InputStream in = Files.newInputStream(dir.resolve("trino.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertThat(names).containsExactlyInAnyOrder("127.0.0.1", "localhost");
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("keystore.p12"))) {
            keystore.load(in, "store-secret-1".toCharArray());
        }
        assertThat(keystore.isKeyEntry("trino")).isTrue();
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("keystore.password")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(TrinoSecrets.trusting(dir.resolve("trino.pem")).getProtocol()).isEqualTo("TLS");
    }

    @Test
    void principalsAreTheGatewayThenTheAdmin() {
        assertThat(TrinoSecrets.principals("g", "a")).containsExactly(Map.entry("gateway", "g"), Map.entry("admin", "a"));
    }
}

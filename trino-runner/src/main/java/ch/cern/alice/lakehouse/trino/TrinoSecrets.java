package ch.cern.alice.lakehouse.trino;

import org.springframework.security.crypto.bcrypt.BCrypt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a Trino of the lakehouse needs besides its config templates, written into one directory (mode 700) the way
 * deploy/trino/trino-server.sh writes it for the local stack: a self-signed TLS key pair ({@code keystore.p12}, made
 * by the JDK's keytool, its certificate as {@code trino.pem} for clients), the bcrypt password file of the
 * principals ({@code password.db}), and the groups file of the lakehouse users ({@code groups.txt}).
 */
final class TrinoSecrets {

    /** The principals that log in to Trino with a password; lakehouse users only reach it through the gateway. */
    static final List<String> PRINCIPALS = List.of(TrinoProcess.GATEWAY_USER, TrinoProcess.ADMIN_USER);
    /** Roles of LAKEHOUSE_USERS that are Trino groups (rules.json grants by them); others (metrics) get nothing. */
    static final List<String> GROUPS = List.of("admin", "researcher", "viewer", "service");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private TrinoSecrets() {
    }

    static String randomSecret(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static Path createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** Writes a file only its owner may read (the directory is private as well). */
    static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }

    /**
     * keytool -genkeypair: RSA 3072, valid 825 days, SAN {@code ip:127.0.0.1,dns:localhost}; then its certificate
     * as PEM ({@code trino.pem}).
     */
    static void writeKeyPair(Path keytool, Path dir, String keystorePassword) throws IOException {
        Path passwordFile = dir.resolve("keystore.password");
        writePrivate(passwordFile, keystorePassword);
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "trino", "-keyalg", "RSA", "-keysize", "3072",
                "-validity", "825", "-dname", "CN=lakehouse-trino", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", dir.resolve("keystore.p12").toString(),
                "-storepass:file", passwordFile.toString(), "-keypass:file", passwordFile.toString()));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "trino",
                "-keystore", dir.resolve("keystore.p12").toString(), "-storepass:file", passwordFile.toString(),
                "-file", dir.resolve("trino.pem").toString()));
    }

    /** {@code user:bcrypt} lines (cost 10, {@code $2a$}), as Trino's file password authenticator reads them. */
    static String passwordFile(Map<String, String> passwords) {
        StringBuilder out = new StringBuilder();
        passwords.forEach((user, password) ->
                out.append(user).append(':').append(BCrypt.hashpw(password, BCrypt.gensalt(10))).append('\n'));
        return out.toString();
    }

    /**
     * Trino's groups file from {@code LAKEHOUSE_USERS} ({@code name:password:role;...}, as the services read it):
     * {@code role:user1,user2} lines for the roles of {@link #GROUPS}.
     */
    static String groupsFile(String lakehouseUsers) {
        Map<String, List<String>> members = new TreeMap<>();
        if (lakehouseUsers != null) {
            for (String entry : lakehouseUsers.split(";")) {
                int first = entry.indexOf(':');
                int last = entry.lastIndexOf(':');
                if (entry.isBlank() || first <= 0 || last == first) {
                    continue;
                }
                String name = entry.substring(0, first).strip();
                String role = entry.substring(last + 1).strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.contains(",") && GROUPS.contains(role)) {
                    members.computeIfAbsent(role, r -> new ArrayList<>()).add(name);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String group : GROUPS) {
            if (members.containsKey(group)) {
                out.append(group).append(':').append(String.join(",", members.get(group))).append('\n');
            }
        }
        return out.toString();
    }

    /** Passwords per principal, in file order. */
    static Map<String, String> principals(String gatewayPassword, String adminPassword) {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(TrinoProcess.GATEWAY_USER, gatewayPassword);
        passwords.put(TrinoProcess.ADMIN_USER, adminPassword);
        return passwords;
    }

    /** An SSL context that trusts exactly the certificate(s) of a PEM file. */
    static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("trino-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read Trino's certificate " + pem, e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " " + command.get(1) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}

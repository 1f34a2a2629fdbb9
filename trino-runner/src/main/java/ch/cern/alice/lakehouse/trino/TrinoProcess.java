package ch.cern.alice.lakehouse.trino;

import ch.cern.alice.lakehouse.process.ChildProcesses;
import ch.cern.alice.lakehouse.process.FileTrees;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trino 476 in its own JVM (JDK 24+ from {@code TRINO_JAVA_HOME}, default Temurin 25), configured from the
 * deploy/trino/etc templates, the same files deploy/trino/trino-server.sh uses for the local stack. The caller
 * passes the values of the templates' {@code ${LAKEHOUSE_S3_*}} placeholders; port, directories and memory are
 * filled in here, and so are the file system cache's directory (under {@code dir}) and size unless given.
 * <p>
 * Secured as everywhere (docs/security.md#trino): HTTPS only on 127.0.0.1 with a self-signed certificate made for
 * this start ({@link #truststore()}), password logins of the principals {@link #gateway()} and {@link #admin()}
 * (random passwords unless {@code LAKEHOUSE_TRINO_PASSWORD} / {@code TRINO_ADMIN_PASSWORD} are given), the groups of
 * the lakehouse users of {@code LAKEHOUSE_USERS} (if given), the file access control of rules.json (the lake schema
 * is {@code TRINO_LAKE_SCHEMA}, default {@code lakehouse}, a regex) and the resource groups of resource-groups.json.
 */
public final class TrinoProcess implements AutoCloseable {

    /** The principal query-gateway logs in as; it runs each query as its real user (JDBC {@code sessionUser}). */
    public static final String GATEWAY_USER = "gateway";
    /** The operators' principal (and the lakehouse admin of that name): every right in Trino. */
    public static final String ADMIN_USER = "admin";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");
    /** The plugins a lakehouse Trino loads: the rest of the tarball is deleted after unpacking. */
    private static final List<String> KEPT_PLUGINS =
            List.of("delta-lake", "tpch", "password-authenticators", "resource-group-managers");
    private static final List<String> TEMPLATES = List.of("config.properties", "jvm.config", "log.properties",
            "catalog/delta.properties", "password-authenticator.properties", "group-provider.properties",
            "access-control.properties", "rules.json", "resource-groups.properties");
    /** Copied as they are: resource-groups.json's {@code ${USER}} is Trino's own placeholder. */
    private static final List<String> VERBATIM = List.of("resource-groups.json");
    /** Seconds to wait for the server; starts take 20-40 s on an idle 2-core machine, minutes on a busy one. */
    private static final Duration STARTUP_TIMEOUT =
            Duration.ofSeconds(Long.getLong("trino.startup.timeout.seconds", 420));

    /** A principal's login. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return user + ":***";
        }
    }

    private final Process process;
    private final int port;
    private final Path truststore;
    private final Credentials gateway;
    private final Credentials admin;

    private TrinoProcess(Process process, int port, Path truststore, Credentials gateway, Credentials admin) {
        this.process = process;
        this.port = port;
        this.truststore = truststore;
        this.gateway = gateway;
        this.admin = admin;
    }

    /**
     * Unpacks the server tarball once (it hard-links jars across plugins, so unpack all, then prune); an earlier
     * install that lacks one of the plugins kept now is replaced.
     */
    public static Path installed(Path serverDir, Path tarball) throws IOException {
        if (Files.isDirectory(serverDir.resolve("lib"))
                && KEPT_PLUGINS.stream().allMatch(p -> Files.isDirectory(serverDir.resolve("plugin").resolve(p)))) {
            return serverDir;
        }
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("Trino tarball missing at " + tarball);
        }
        FileTrees.deleteRecursively(serverDir);
        Path tmp = serverDir.resolveSibling(serverDir.getFileName() + ".tmp");
        FileTrees.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        run(List.of("tar", "xzf", tarball.toString(), "-C", tmp.toString(), "--strip-components=1"));
        try (var plugins = Files.list(tmp.resolve("plugin"))) {
            for (Path plugin : plugins.toList()) {
                if (!KEPT_PLUGINS.contains(plugin.getFileName().toString())) {
                    FileTrees.deleteRecursively(plugin);
                }
            }
        }
        Files.move(tmp, serverDir);
        return serverDir;
    }

    /**
     * Starts the server and returns once it answers {@code /v1/info} (over HTTPS, its certificate verified) with
     * {@code starting:false}.
     *
     * @param dir emptied, then holds the filled-in etc/, the secrets (secrets/), the server's data and
     *            {@code server.log}
     * @param env values of the templates' placeholders; besides, {@code LAKEHOUSE_USERS} (the lakehouse users, whose
     *            roles become their Trino groups), {@code LAKEHOUSE_TRINO_PASSWORD} and {@code TRINO_ADMIN_PASSWORD}
     *            (the principals' passwords, random when absent), {@code TRINO_LAKE_SCHEMA} (default
     *            {@code lakehouse})
     */
    public static TrinoProcess start(Path serverDir, Path templates, Path dir, int port, Map<String, String> env)
            throws IOException {
        for (String file : concat(TEMPLATES, VERBATIM)) {
            if (!Files.isRegularFile(templates.resolve(file))) {
                throw new IllegalStateException("Trino config template " + file + " missing in " + templates
                        + ": the templates are every file of deploy/trino/etc");
            }
        }
        FileTrees.deleteRecursively(dir);
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc.resolve("catalog"));
        Path secrets = TrinoSecrets.createPrivateDirectory(dir.resolve("secrets"));
        String javaHome = System.getenv().getOrDefault("TRINO_JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");

        Map<String, String> vars = new HashMap<>(env);
        vars.put("TRINO_PORT", Integer.toString(port));
        vars.put("TRINO_SERVER_DIR", serverDir.toAbsolutePath().toString());
        vars.put("TRINO_ETC_DIR", etc.toString());
        vars.put("TRINO_SECRETS_DIR", secrets.toString());
        vars.putIfAbsent("TRINO_BIND_ADDRESS", "127.0.0.1");
        vars.putIfAbsent("TRINO_LAKE_SCHEMA", "lakehouse");
        vars.putIfAbsent("TRINO_XMX", "2G");
        vars.putIfAbsent("TRINO_QUERY_MAX_MEMORY", "1GB");
        vars.putIfAbsent("TRINO_CACHE_DIR", dir.resolve("cache").toString());
        Files.createDirectories(Path.of(vars.get("TRINO_CACHE_DIR"))); // Trino refuses to start without it
        vars.putIfAbsent("TRINO_CACHE_SIZE", "1GB");
        vars.put("TRINO_KEYSTORE_PASSWORD", TrinoSecrets.randomSecret(32));
        vars.put("TRINO_SHARED_SECRET", TrinoSecrets.randomSecret(64));

        Credentials gateway = new Credentials(GATEWAY_USER, nonBlank(env.get("LAKEHOUSE_TRINO_PASSWORD")));
        Credentials admin = new Credentials(ADMIN_USER, nonBlank(env.get("TRINO_ADMIN_PASSWORD")));
        TrinoSecrets.writeKeyPair(Path.of(javaHome, "bin", "keytool"), secrets, vars.get("TRINO_KEYSTORE_PASSWORD"));
        TrinoSecrets.writePrivate(secrets.resolve("password.db"),
                TrinoSecrets.passwordFile(TrinoSecrets.principals(gateway.password(), admin.password())));
        Files.writeString(etc.resolve("groups.txt"), TrinoSecrets.groupsFile(env.get("LAKEHOUSE_USERS")));
        for (String file : TEMPLATES) {
            TrinoSecrets.writePrivate(etc.resolve(file), fill(Files.readString(templates.resolve(file)), vars));
        }
        for (String file : VERBATIM) {
            Files.copy(templates.resolve(file), etc.resolve(file));
        }

        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        for (String line : Files.readAllLines(etc.resolve("jvm.config"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                command.add(line.strip());
            }
        }
        command.addAll(List.of("-Dconfig=" + etc.resolve("config.properties"),
                "-Dlog.levels-file=" + etc.resolve("log.properties"),
                "-cp", serverDir.toAbsolutePath().resolve("lib") + "/*", "io.trino.server.TrinoServer"));
        // etc/group-provider.properties and etc/resource-groups.properties are read relative to the working directory
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        TrinoProcess trino = new TrinoProcess(p, port, secrets.resolve("trino.pem"), gateway, admin);
        trino.awaitReady(dir.resolve("server.log"));
        return trino;
    }

    public int port() {
        return port;
    }

    /** Plain JDBC URL; {@link #jdbcProperties} adds TLS and the login. */
    public String jdbcUrl() {
        return "jdbc:trino://127.0.0.1:" + port;
    }

    /** The HTTPS base URL (the only one: plain HTTP is off). */
    public URI url() {
        return URI.create("https://127.0.0.1:" + port);
    }

    /** Trino's certificate (PEM): what clients verify the server with (JDBC {@code SSLTrustStorePath}). */
    public Path truststore() {
        return truststore;
    }

    /** query-gateway's principal. */
    public Credentials gateway() {
        return gateway;
    }

    /** The operators' principal, for test set-up and checks (e.g. writing seed tables, reading system.runtime). */
    public Credentials admin() {
        return admin;
    }

    /** JDBC connection properties: the login, {@code SSL=true} and the certificate to verify. */
    public Properties jdbcProperties(Credentials login) {
        Properties p = new Properties();
        p.setProperty("user", login.user());
        p.setProperty("password", login.password());
        p.setProperty("SSL", "true");
        p.setProperty("SSLTrustStorePath", truststore.toString());
        return p;
    }

    /** JDBC connection properties of {@code login} running its queries as {@code sessionUser} (impersonation). */
    public Properties jdbcProperties(Credentials login, String sessionUser) {
        Properties p = jdbcProperties(login);
        p.setProperty("sessionUser", sessionUser);
        return p;
    }

    /** query-gateway's settings for this Trino, as docs/contracts.md names them. */
    public Map<String, String> gatewayEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LAKEHOUSE_TRINO_URL", jdbcUrl());
        env.put("LAKEHOUSE_TRINO_USER", gateway.user());
        env.put("LAKEHOUSE_TRINO_PASSWORD", gateway.password());
        env.put("LAKEHOUSE_TRINO_TRUSTSTORE", truststore.toString());
        return env;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return "Trino " + url() + " (pid " + process.pid() + ")";
    }

    private void awaitReady(Path log) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                    .sslContext(TrinoSecrets.trusting(truststore)).build();
            HttpRequest info = HttpRequest.newBuilder(url().resolve("/v1/info")).timeout(Duration.ofSeconds(5))
                    .GET().build();
            long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Trino exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    if (http.send(info, HttpResponse.BodyHandlers.ofString()).body().replace(" ", "")
                            .contains("\"starting\":false")) {
                        return;
                    }
                } catch (IOException notListeningYet) {
                    // keep polling
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Trino", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Trino not ready within " + STARTUP_TIMEOUT + "; see " + log);
                }
                ChildProcesses.sleep(Duration.ofMillis(500));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String nonBlank(String password) {
        return password == null || password.isBlank() ? TrinoSecrets.randomSecret(32) : password;
    }

    static String fill(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for ${" + m.group(1) + "} in Trino config templates");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

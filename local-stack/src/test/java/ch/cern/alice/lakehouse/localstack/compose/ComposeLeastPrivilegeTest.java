package ch.cern.alice.lakehouse.localstack.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Least privilege in docker compose, statically (no Docker, no MinIO here): each service gets its own Postgres role
 * and MinIO user from the resolved compose file (with .env.example), the init containers get the matching
 * passwords, nobody but them the superuser's or MinIO root's; the MinIO policies of deploy/minio grant exactly what
 * the table in docs/security.md says (evaluated like IAM: an explicit Deny wins, else an Allow is needed); and
 * minio-init.sh, run against a stand-in mc, creates those users and policies.
 */
class ComposeLeastPrivilegeTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Postgres role and MinIO user of each component (null: none). */
    private static final Map<String, String> DB_ROLES = Map.of("ingest-service", "lakehouse_ingest",
            "etl-service", "lakehouse_etl", "query-gateway", "lakehouse_query",
            "versioning-service", "lakehouse_versioning");
    private static final Map<String, String> S3_USERS = Map.of("etl-service", "ETL", "trino", "TRINO",
            "versioning-service", "VERSIONING", "query-gateway", "QUERY");

    private static Map<String, Map<String, String>> environments;
    private static JsonNode services;

    @BeforeAll
    static void resolveCompose() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose not installed (apt-get install docker-compose)");
        Process p = new ProcessBuilder("docker-compose", "--env-file", ROOT.resolve(".env.example").toString(), "-f",
                ROOT.resolve("docker-compose.yml").toString(), "config").directory(ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker-compose config").isZero();
        services = new YAMLMapper().readTree(yaml).get("services");
        environments = new TreeMap<>();
        services.properties().forEach(e -> {
            Map<String, String> env = new TreeMap<>();
            JsonNode node = e.getValue().get("environment");
            if (node != null) {
                node.properties().forEach(v -> env.put(v.getKey(), v.getValue().asText()));
            }
            environments.put(e.getKey(), env);
        });
    }

    @Test
    void eachServiceLogsIntoPostgresAsItsOwnRoleWithThePasswordPostgresInitSets() {
        Map<String, String> init = environments.get("postgres-init");
        for (Map.Entry<String, String> e : DB_ROLES.entrySet()) {
            Map<String, String> env = environments.get(e.getKey());
            String name = e.getValue().substring("lakehouse_".length()).toUpperCase();
            assertThat(env).as(e.getKey()).containsEntry("LAKEHOUSE_DB_USER", e.getValue())
                    .containsEntry("LAKEHOUSE_DB_PASSWORD", init.get("LAKEHOUSE_DB_" + name + "_PASSWORD"));
            assertThat(dependsOn(e.getKey())).as(e.getKey() + " waits for the roles").contains("postgres-init");
        }
        assertThat(environments.get("ingest-service"))
                .containsEntry("LAKEHOUSE_STAGING_DB_USER", "lakehouse_staging")
                .containsEntry("LAKEHOUSE_STAGING_DB_PASSWORD", init.get("LAKEHOUSE_DB_STAGING_PASSWORD"));
        List<String> passwords = init.entrySet().stream().filter(e -> e.getKey().endsWith("PASSWORD"))
                .map(Map.Entry::getValue).toList();
        assertThat(passwords).as("the superuser's and the five roles' passwords").hasSize(6).doesNotHaveDuplicates();
        // postgres-init connects as the superuser and runs the deployment's script
        String admin = environments.get("postgres").get("POSTGRES_USER");
        assertThat(init).containsEntry("PGUSER", admin)
                .containsEntry("PGPASSWORD", environments.get("postgres").get("POSTGRES_PASSWORD"));
        assertThat(services.get("postgres-init").get("entrypoint").toString()).contains("/lakehouse-db/init-roles.sh");
        assertThat(services.get("postgres-init").get("volumes").toString()).contains("deploy/postgres")
                .contains("/lakehouse-db");
        // nobody else knows the superuser
        environments.forEach((service, env) -> {
            if (!Set.of("postgres", "postgres-init").contains(service)) {
                assertThat(env).as(service).doesNotContainValue(init.get("PGPASSWORD"));
                assertThat(env.getOrDefault("LAKEHOUSE_DB_USER", "")).as(service).isNotEqualTo(admin);
            }
            if (!DB_ROLES.containsKey(service)) {
                assertThat(env).as(service + " has no database").doesNotContainKeys("LAKEHOUSE_DB_USER",
                        "LAKEHOUSE_DB_PASSWORD");
            }
        });
    }

    @Test
    void eachComponentUsesItsOwnMinioUserWithTheSecretMinioInitSets() {
        Map<String, String> init = environments.get("minio-init");
        String rootUser = environments.get("minio").get("MINIO_ROOT_USER");
        String rootPassword = environments.get("minio").get("MINIO_ROOT_PASSWORD");
        assertThat(init).containsEntry("S3_ACCESS_KEY", rootUser).containsEntry("S3_SECRET_KEY", rootPassword);
        for (Map.Entry<String, String> e : S3_USERS.entrySet()) {
            Map<String, String> env = environments.get(e.getKey());
            assertThat(env).as(e.getKey())
                    .containsEntry("LAKEHOUSE_S3_ACCESS_KEY", init.get("LAKEHOUSE_S3_" + e.getValue() + "_ACCESS_KEY"))
                    .containsEntry("LAKEHOUSE_S3_SECRET_KEY", init.get("LAKEHOUSE_S3_" + e.getValue() + "_SECRET_KEY"));
            assertThat(env.get("LAKEHOUSE_S3_ACCESS_KEY")).isEqualTo("lakehouse-" + e.getValue().toLowerCase());
            assertThat(dependsOn(e.getKey())).as(e.getKey() + " waits for its user").contains("minio-init");
        }
        environments.forEach((service, env) -> {
            if (!Set.of("minio", "minio-init").contains(service)) {
                assertThat(env).as(service + " must not know MinIO's root").doesNotContainValue(rootPassword);
            }
            if (!S3_USERS.containsKey(service) && !Set.of("minio", "minio-init").contains(service)) {
                assertThat(env).as(service + " has no S3 user").doesNotContainKeys("LAKEHOUSE_S3_ACCESS_KEY",
                        "LAKEHOUSE_S3_SECRET_KEY");
            }
        });
        assertThat(services.get("minio-init").get("entrypoint").toString()).contains("/lakehouse-minio/minio-init.sh");
    }

    // ---- the policies against docs/security.md ---------------------------------------------------------------------

    /** Keys below the bucket that stand for each column of the table, in its order. */
    private static final List<String> COLUMN_KEYS = List.of(
            "trace/year=2024/month=6/part-00000.snappy.parquet",
            "trace/_delta_log/00000000000000000003.json",
            "branch_exp_1/eff/part-00000.snappy.parquet",
            "branch_exp_1/eff/_delta_log/00000000000000000001.json",
            "_trino_metastore/branch_exp_1/eff/.trinoTable");
    private static final String BUCKET = "lakehouse";

    @Test
    void theMinioPoliciesGrantWhatTheTableOfDocsSecurityMdSays() throws IOException {
        List<List<String>> rows = s3Table();
        assertThat(rows).extracting(r -> r.get(0)).containsExactlyInAnyOrder("`lakehouse-etl`", "`lakehouse-trino`",
                "`lakehouse-versioning`", "`lakehouse-query`");
        List<String> problems = new ArrayList<>();
        for (List<String> row : rows) {
            String user = row.get(0).replace("`", "");
            JsonNode policy = policy(user);
            String list = row.get(2);
            boolean listRoot = allowed(policy, "s3:ListBucket", "arn:aws:s3:::" + BUCKET, Map.of("s3:prefix", ""));
            boolean listLogs = allowed(policy, "s3:ListBucket", "arn:aws:s3:::" + BUCKET,
                    Map.of("s3:prefix", "trace/_delta_log/"))
                    && allowed(policy, "s3:ListBucket", "arn:aws:s3:::" + BUCKET,
                    Map.of("s3:prefix", "branch_exp_1/eff/_delta_log/"));
            boolean[] expectedList = switch (list) {
                case "yes" -> new boolean[] {true, true};
                case "Delta logs only" -> new boolean[] {false, true};
                case "-" -> new boolean[] {false, false};
                default -> throw new AssertionError("unknown list cell '" + list + "' for " + user);
            };
            if (listRoot != expectedList[0] || listLogs != expectedList[1]) {
                problems.add(user + " list: table says '" + list + "', policy lists root " + listRoot + ", logs "
                        + listLogs);
            }
            for (int i = 0; i < COLUMN_KEYS.size(); i++) {
                String cell = row.get(3 + i);
                String arn = "arn:aws:s3:::" + BUCKET + "/" + COLUMN_KEYS.get(i);
                boolean read = allowed(policy, "s3:GetObject", arn, Map.of());
                boolean put = allowed(policy, "s3:PutObject", arn, Map.of());
                boolean delete = allowed(policy, "s3:DeleteObject", arn, Map.of());
                boolean[] expected = switch (cell) {
                    case "read, write" -> new boolean[] {true, true, true};
                    case "read" -> new boolean[] {true, false, false};
                    case "-" -> new boolean[] {false, false, false};
                    default -> throw new AssertionError("unknown cell '" + cell + "' for " + user);
                };
                if (read != expected[0] || put != expected[1] || delete != expected[2]) {
                    problems.add(user + " " + COLUMN_KEYS.get(i) + ": table says '" + cell + "', policy: get " + read
                            + ", put " + put + ", delete " + delete);
                }
            }
            // nothing beyond objects of this bucket
            if (allowed(policy, "s3:GetObject", "arn:aws:s3:::other/trace/_delta_log/0.json", Map.of())
                    || allowed(policy, "s3:CreateBucket", "arn:aws:s3:::" + BUCKET, Map.of())
                    || allowed(policy, "s3:DeleteBucket", "arn:aws:s3:::" + BUCKET, Map.of())
                    || allowed(policy, "s3:PutBucketPolicy", "arn:aws:s3:::" + BUCKET, Map.of())) {
                problems.add(user + " reaches beyond the objects of bucket " + BUCKET);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theEvaluatorHasTeeth() {
        JsonNode policy = JSON.valueToTree(Map.of("Statement", List.of(
                Map.of("Effect", "Allow", "Action", "s3:*", "Resource", "arn:aws:s3:::b/*"),
                Map.of("Effect", "Deny", "Action", List.of("s3:PutObject"), "Resource", "arn:aws:s3:::b/branch_*"),
                Map.of("Effect", "Allow", "Action", "s3:ListBucket", "Resource", "arn:aws:s3:::b",
                        "Condition", Map.of("StringLike", Map.of("s3:prefix", List.of("*/_delta_log/*")))))));
        assertThat(allowed(policy, "s3:PutObject", "arn:aws:s3:::b/t/x", Map.of())).isTrue();
        assertThat(allowed(policy, "s3:PutObject", "arn:aws:s3:::b/branch_x/t/x", Map.of())).isFalse();
        assertThat(allowed(policy, "s3:GetObject", "arn:aws:s3:::c/t/x", Map.of())).isFalse();
        assertThat(allowed(policy, "s3:ListBucket", "arn:aws:s3:::b", Map.of("s3:prefix", "t/_delta_log/"))).isTrue();
        assertThat(allowed(policy, "s3:ListBucket", "arn:aws:s3:::b", Map.of("s3:prefix", ""))).isFalse();
    }

    // ---- minio-init.sh ---------------------------------------------------------------------------------------------

    @Test
    void minioInitCreatesTheBucketAndEachUserWithItsPolicy() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/minio-init-test")).toAbsolutePath();
        Path calls = dir.resolve("calls.txt");
        Files.deleteIfExists(calls);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // stands in for mc: records its arguments, keeps the policy documents, knows no attached policy yet
        Files.writeString(bin.resolve("mc"), String.join("\n", "#!/bin/sh",
                "echo \"$*\" >> '" + calls + "'",
                "if [ \"$1 $2 $3\" = 'admin policy create' ]; then cp \"$6\" '" + dir + "'/\"$5\".json; fi",
                "if [ \"$1 $2 $3\" = 'admin user info' ]; then echo '{\"status\":\"success\",\"policyName\":\"\"}'; fi",
                ""));
        assertThat(bin.resolve("mc").toFile().setExecutable(true)).isTrue();
        Map<String, String> env = new HashMap<>(environments.get("minio-init"));
        env.put("S3_BUCKET", "lake-test");

        Run run = minioInit(bin, env);
        assertThat(run.exitCode).as(run.output).isZero();
        List<String> recorded = Files.readAllLines(calls);
        assertThat(recorded.get(0)).startsWith("alias set lake http://minio:9000 " + env.get("S3_ACCESS_KEY") + " ");
        assertThat(recorded).contains("mb --ignore-existing lake/lake-test");
        for (String name : List.of("etl", "trino", "versioning", "query")) {
            String user = env.get("LAKEHOUSE_S3_" + name.toUpperCase() + "_ACCESS_KEY");
            assertThat(recorded).contains("admin user add lake " + user + " "
                    + env.get("LAKEHOUSE_S3_" + name.toUpperCase() + "_SECRET_KEY"),
                    "admin policy attach lake lakehouse-" + name + " --user " + user);
            String policy = Files.readString(dir.resolve("lakehouse-" + name + ".json"));
            assertThat(policy).doesNotContain("@BUCKET@").contains("arn:aws:s3:::lake-test");
            assertThat(JSON.readTree(policy).get("Statement")).isNotEmpty();
        }
        assertThat(run.output).doesNotContain(env.get("S3_SECRET_KEY"));

        Map<String, String> missing = new HashMap<>(env);
        missing.remove("LAKEHOUSE_S3_TRINO_SECRET_KEY");
        Run refused = minioInit(bin, missing);
        assertThat(refused.exitCode).isEqualTo(2);
        assertThat(refused.output).contains("LAKEHOUSE_S3_TRINO_SECRET_KEY must be set");
        Map<String, String> root = new HashMap<>(env);
        root.put("LAKEHOUSE_S3_QUERY_ACCESS_KEY", env.get("S3_ACCESS_KEY"));
        assertThat(minioInit(bin, root).output).contains("must not be the root user");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** The rows of the S3 table in docs/security.md (cells trimmed), header and separator left out. */
    private static List<List<String>> s3Table() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(ROOT.resolve("docs/security.md"))) {
            if (line.startsWith("| S3 user")) {
                assertThat(line).contains("| list the bucket | lake tables", "| their Delta logs", "| branch tables",
                        "| branch Delta logs", "| Trino metastore");
                in = true;
            } else if (in && line.startsWith("|---")) {
                continue;
            } else if (in && line.startsWith("|")) {
                List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                        .map(String::strip).toList();
                assertThat(cells).as(line).hasSize(3 + COLUMN_KEYS.size());
                rows.add(cells);
            } else if (in) {
                break;
            }
        }
        assertThat(rows).as("the S3 table of docs/security.md").isNotEmpty();
        return rows;
    }

    private static JsonNode policy(String user) throws IOException {
        String text = Files.readString(ROOT.resolve("deploy/minio/policies/" + user + ".json"));
        return JSON.readTree(text.replace("@BUCKET@", BUCKET));
    }

    /** IAM evaluation for one request: an explicit Deny wins, else an Allow whose conditions hold is needed. */
    static boolean allowed(JsonNode policy, String action, String resource, Map<String, String> context) {
        boolean allow = false;
        for (JsonNode statement : policy.get("Statement")) {
            if (!matchesAny(statement.get("Action"), action) || !matchesAny(statement.get("Resource"), resource)
                    || !conditionsHold(statement.get("Condition"), context)) {
                continue;
            }
            switch (statement.get("Effect").asText()) {
                case "Deny" -> {
                    return false;
                }
                case "Allow" -> allow = true;
                default -> throw new AssertionError("unknown Effect in " + statement);
            }
        }
        return allow;
    }

    private static boolean conditionsHold(JsonNode condition, Map<String, String> context) {
        if (condition == null) {
            return true;
        }
        for (var operator : condition.properties()) {
            if (!operator.getKey().equals("StringLike")) {
                throw new AssertionError("the evaluator knows StringLike only, not " + operator.getKey());
            }
            for (var key : operator.getValue().properties()) {
                String value = context.get(key.getKey());
                if (value == null || !matchesAny(key.getValue(), value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matchesAny(JsonNode patterns, String value) {
        List<JsonNode> list = new ArrayList<>();
        if (patterns.isArray()) {
            patterns.forEach(list::add);
        } else {
            list.add(patterns);
        }
        return list.stream().anyMatch(p -> wildcard(p.asText()).matcher(value).matches());
    }

    private static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static List<String> dependsOn(String service) {
        List<String> names = new ArrayList<>();
        JsonNode deps = services.get(service).get("depends_on");
        if (deps != null && deps.isObject()) {
            deps.properties().forEach(e -> names.add(e.getKey()));
        } else if (deps != null) {
            deps.forEach(d -> names.add(d.asText()));
        }
        return names;
    }

    private record Run(int exitCode, String output) {
    }

    private static Run minioInit(Path bin, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", ROOT.resolve("deploy/minio/minio-init.sh").toString())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("S3_") || k.startsWith("LAKEHOUSE_"));
        pb.environment().putAll(env);
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    }
}

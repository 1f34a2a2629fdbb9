package ch.cern.alice.lakehouse.etl.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Settings of one ETL run. Run-specific values come as {@code --name=value} arguments, connection settings and
 * secrets from the environment (the same {@code LAKEHOUSE_*} variables the services use) so they never show up in
 * a process listing. An argument overrides the environment.
 *
 * @param tableRoot where the Delta tables live, {@code s3a://<bucket>} by default (a local path in tests)
 * @param fromId    exclusive lower bound of the staged id range
 * @param toId      inclusive upper bound; empty: the job claims the range itself
 */
public record JobConfig(String dataset, String runId, String jdbcUrl, String jdbcUser, String jdbcPassword,
                        String s3Endpoint, String s3AccessKey, String s3SecretKey, String s3Region,
                        String tableRoot, long fromId, OptionalLong toId, int readPartitions) {

    public static JobConfig from(String[] args, Map<String, String> env) {
        Map<String, String> a = named(args);
        String dataset = require(a.get("dataset"), "--dataset");
        String bucket = pick(a, "bucket", env, "LAKEHOUSE_S3_BUCKET", "lakehouse");
        String to = a.get("to");
        return new JobConfig(
                dataset,
                require(a.get("run-id"), "--run-id"),
                pick(a, "jdbc-url", env, "LAKEHOUSE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/lakehouse"),
                pick(a, "jdbc-user", env, "LAKEHOUSE_DB_USER", "lakehouse"),
                pick(a, "jdbc-password", env, "LAKEHOUSE_DB_PASSWORD", ""),
                pick(a, "s3-endpoint", env, "LAKEHOUSE_S3_ENDPOINT", "http://127.0.0.1:9000"),
                pick(a, "s3-access-key", env, "LAKEHOUSE_S3_ACCESS_KEY", ""),
                pick(a, "s3-secret-key", env, "LAKEHOUSE_S3_SECRET_KEY", ""),
                pick(a, "s3-region", env, "LAKEHOUSE_S3_REGION", "us-east-1"),
                pick(a, "table-root", env, "ETL_TABLE_ROOT", "s3a://" + bucket),
                Long.parseLong(a.getOrDefault("from", "0")),
                to == null || to.isBlank() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(to)),
                Integer.parseInt(a.getOrDefault("read-partitions", "0")));
    }

    public JobConfig withRange(long from, long to) {
        return new JobConfig(dataset, runId, jdbcUrl, jdbcUser, jdbcPassword, s3Endpoint, s3AccessKey, s3SecretKey,
                s3Region, tableRoot, from, OptionalLong.of(to), readPartitions);
    }

    public String tablePath(String table) {
        return tableRoot.replaceAll("/+$", "") + "/" + table;
    }

    private static String pick(Map<String, String> args, String arg, Map<String, String> env, String var,
                               String fallback) {
        String v = args.get(arg);
        if (v == null || v.isBlank()) {
            v = env.get(var);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** {@code --name=value} arguments as name -> value, in their order (a later one wins). */
    static Map<String, String> named(String[] args) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new IllegalArgumentException("arguments are --name=value, got '" + arg + "'");
            }
            named.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return named;
    }
}

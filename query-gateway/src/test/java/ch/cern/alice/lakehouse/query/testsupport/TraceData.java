package ch.cern.alice.lakehouse.query.testsupport;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Synthetic trace rows written as a Delta table on S3 through Trino, in two INSERTs (Delta versions 1 and 2),
 * then unregistered again so that the gateway's refresh has to find and register it.
 */
public final class TraceData {

    public static final List<String> SITES = List.of("CERN", "FZK", "CNAF", "KISTI_GSDC");
    public static final int FIRST_BATCH = 3000;
    public static final int SECOND_BATCH = 2000;

    public record Row(long jobId, String site, String host, double cputime, int walltime, long maxrss,
                      Instant finaltimestamp) {
        public int year() {
            return finaltimestamp.atZone(ZoneOffset.UTC).getYear();
        }

        public int month() {
            return finaltimestamp.atZone(ZoneOffset.UTC).getMonthValue();
        }

        public double cpuefficiency() {
            return 100.0 * cputime / walltime;
        }
    }

    private TraceData() {
    }

    public static List<Row> generate(int count, long firstJobId, long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String site = SITES.get(random.nextInt(SITES.size()));
            int walltime = 600 + random.nextInt(36_000);
            double cputime = Math.round(walltime * (0.2 + 0.79 * random.nextDouble()));
            Instant end = ZonedDateTime.of(2026, 1 + random.nextInt(3), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), 0, 0, ZoneOffset.UTC).toInstant();
            rows.add(new Row(firstJobId + i, site, site.toLowerCase() + "-wn" + random.nextInt(40) + ".example",
                    cputime, walltime, 500_000L + random.nextInt(3_500_000), end));
        }
        return rows;
    }

    /** Creates s3://bucket/trace with all descriptor columns plus year/month, writes both batches, unregisters. */
    public static void writeDeltaTable(Connection trino, String bucket, List<Row> first, List<Row> second)
            throws SQLException {
        DatasetDescriptor trace = DatasetCatalog.builtIn().get("trace");
        String columns = trace.fields().stream().map(TraceData::columnDdl).collect(Collectors.joining(", "));
        try (Statement st = trino.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS delta.seed");
            st.execute("CREATE TABLE delta.seed.trace (" + columns + ", year INTEGER, month INTEGER) WITH ("
                    + "location = 's3://" + bucket + "/trace', partitioned_by = ARRAY['year', 'month'])");
            st.execute(insert(first));
            st.execute(insert(second));
            st.execute("CALL delta.system.unregister_table(schema_name => 'seed', table_name => 'trace')");
        }
    }

    private static String columnDdl(FieldSpec f) {
        return f.name() + " " + f.type().trinoType();
    }

    /** The rows travel as one string literal split in SQL: planning a VALUES list of thousands of rows is slow. */
    private static String insert(List<Row> rows) {
        String lines = rows.stream().map(r -> String.join(",", Long.toString(r.jobId()), r.site(), r.host(),
                        Double.toString(r.cputime()), Integer.toString(r.walltime()), Long.toString(r.maxrss()),
                        Double.toString(r.cpuefficiency()), Long.toString(r.finaltimestamp().getEpochSecond()),
                        Integer.toString(r.year()), Integer.toString(r.month())))
                .collect(Collectors.joining(";"));
        return "INSERT INTO delta.seed.trace (job_id, site, host, cputime, walltime, maxrss, cpuefficiency, "
                + "finaltimestamp, year, month) SELECT CAST(f[1] AS BIGINT), f[2], f[3], CAST(f[4] AS DOUBLE), "
                + "CAST(f[5] AS INTEGER), CAST(f[6] AS BIGINT), CAST(f[7] AS DOUBLE), "
                + "from_unixtime(CAST(f[8] AS BIGINT), 'UTC'), CAST(f[9] AS INTEGER), CAST(f[10] AS INTEGER) "
                + "FROM (SELECT split(line, ',') AS f FROM unnest(split('" + lines + "', ';')) AS t(line))";
    }
}

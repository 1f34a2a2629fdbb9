package ch.cern.alice.lakehouse.ingest.figures;

import ch.cern.alice.lakehouse.ingest.deadletter.DeadLetterSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the durable figures: {@code ingest.figures} plus dead letters per hour of {@code ingest.dead_letters}. */
@Repository
public class FiguresRepository {

    private static final String[] COLUMNS = {"received", "accepted", "rejected", "request_duplicates",
            "unacknowledged", "staged_inserted", "staged_updated", "staged_duplicates", "staged_stale"};
    private static final String WINDOWS = "date_trunc('hour', now())";
    private static final String DAY = "date_trunc('hour', now()) - interval '23 hours'";

    private final JdbcTemplate jdbc;

    /** Taking the schema bean guarantees the tables exist. */
    public FiguresRepository(JdbcTemplate jdbc, DeadLetterSchema schema) {
        this.jdbc = jdbc;
    }

    public Figures read() {
        Map<StagingFigures.Key, long[]> perSite = new TreeMap<>();
        StringBuilder select = new StringBuilder("SELECT dataset, site");
        for (String window : new String[]{"hour >= " + WINDOWS, "hour >= " + DAY, "true"}) {
            for (String column : COLUMNS) {
                select.append(", coalesce(sum(").append(column).append(") FILTER (WHERE ").append(window)
                        .append("), 0)");
            }
        }
        select.append(" FROM ingest.figures GROUP BY dataset, site");
        jdbc.query(select.toString(), (ResultSet rs) -> {
            long[] values = new long[3 * (COLUMNS.length + 1)];
            for (int w = 0; w < 3; w++) {
                for (int c = 0; c < COLUMNS.length; c++) {
                    values[w * (COLUMNS.length + 1) + c] = rs.getLong(3 + w * COLUMNS.length + c);
                }
            }
            perSite.put(new StagingFigures.Key(rs.getString(1), rs.getString(2)), values);
        });
        jdbc.query("SELECT dataset, coalesce(site, ''), count(*) FILTER (WHERE first_seen >= " + WINDOWS + "), "
                + "count(*) FILTER (WHERE first_seen >= " + DAY + "), count(*) FROM "
                + DeadLetterSchema.SCHEMA + ".dead_letters GROUP BY 1, 2", (ResultSet rs) -> {
            long[] values = perSite.computeIfAbsent(new StagingFigures.Key(rs.getString(1), rs.getString(2)),
                    k -> new long[3 * (COLUMNS.length + 1)]);
            for (int w = 0; w < 3; w++) {
                values[w * (COLUMNS.length + 1) + COLUMNS.length] = rs.getLong(3 + w);
            }
        });
        Timestamp first = jdbc.queryForObject("SELECT least((SELECT min(hour) FROM ingest.figures), "
                + "(SELECT date_trunc('hour', min(first_seen)) FROM ingest.dead_letters))", Timestamp.class);

        List<Figures.SiteFigures> sites = new ArrayList<>();
        Map<String, Figures.Windows> datasets = new TreeMap<>();
        Figures.Windows all = new Figures.Windows(Figures.Counts.ZERO, Figures.Counts.ZERO, Figures.Counts.ZERO);
        for (Map.Entry<StagingFigures.Key, long[]> e : perSite.entrySet()) {
            Figures.Windows windows = new Figures.Windows(counts(e.getValue(), 0), counts(e.getValue(), 1),
                    counts(e.getValue(), 2));
            sites.add(new Figures.SiteFigures(e.getKey().dataset(), e.getKey().site(), windows));
            datasets.merge(e.getKey().dataset(), windows, FiguresRepository::plus);
            all = plus(all, windows);
        }
        return new Figures(Instant.now(), first == null ? null : first.toInstant(), all,
                datasets.entrySet().stream().map(e -> new Figures.DatasetFigures(e.getKey(), e.getValue())).toList(),
                sites);
    }

    private static Figures.Windows plus(Figures.Windows a, Figures.Windows b) {
        return new Figures.Windows(a.hour().plus(b.hour()), a.day().plus(b.day()), a.total().plus(b.total()));
    }

    private static Figures.Counts counts(long[] v, int window) {
        int o = window * (COLUMNS.length + 1);
        return new Figures.Counts(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5] + v[o + 6], v[o + 5],
                v[o + 6], v[o + 7], v[o + 8], v[o + COLUMNS.length]);
    }
}

package ch.cern.alice.lakehouse.ingest.staging;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/** Rows currently in staging per dataset (the ETL deletes them once migrated, so this is the backlog). */
@Component
public class StagedRowCounts {

    private final JdbcTemplate jdbc;

    public StagedRowCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Long> perDataset() {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query("SELECT dataset, count(*) FROM staging.records GROUP BY dataset",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }
}

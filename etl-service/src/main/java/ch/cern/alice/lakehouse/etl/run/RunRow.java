package ch.cern.alice.lakehouse.etl.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row of {@code etl.runs} (schema by Flyway, db/etl V1-V3). Read through {@link RunRepository}; rows are inserted
 * and their status changed only by the repository's conditional statements (never by saving an entity), so a cancel
 * racing with the job's end can never be overwritten. {@link #toRun()} gives the API's {@link EtlRun}.
 */
@Entity
@Table(schema = "etl", name = "runs")
public class RunRow {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Id
    private Long id;
    private String dataset;
    private String kind;
    private String status;
    private String trigger;
    @Column(name = "requested_by")
    private String requestedBy;
    private String phase;
    @Column(name = "progress_percent")
    private int progressPercent;
    @Column(name = "rows_read")
    private Long rowsRead;
    @Column(name = "rows_written")
    private Long rowsWritten;
    @Column(name = "rows_rejected")
    private Long rowsRejected;
    @Column(name = "files_written")
    private Long filesWritten;
    @Column(name = "delta_version")
    private Long deltaVersion;
    @Column(name = "watermark_from")
    private Long watermarkFrom;
    @Column(name = "watermark_to")
    private Long watermarkTo;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    private String error;
    private String notifications;
    private String details;
    /** JSON request of a maintenance run, or null */
    private String request;
    /** JSON object table -> Delta version (V3), or null */
    @Column(name = "table_versions")
    private String tableVersions;
    @Column(name = "spark_pid")
    private Long sparkPid;

    protected RunRow() {
    }

    String request() {
        return request;
    }

    Long sparkPid() {
        return sparkPid;
    }

    EtlRun toRun() {
        return new EtlRun(id, dataset, kind, RunStatus.valueOf(status), RunTrigger.valueOf(trigger), requestedBy, phase,
                progressPercent, rowsRead, rowsWritten, rowsRejected, filesWritten, deltaVersion, watermarkFrom,
                watermarkTo, createdAt, startedAt, finishedAt, EtlRun.durationMs(startedAt, finishedAt), error,
                notifications, details, tableVersions(tableVersions));
    }

    /** The {@code table_versions} JSON object ({"trace":12,"trace_daily_site":7}); empty for NULL. */
    static Map<String, Long> tableVersions(String json) {
        Map<String, Long> tables = new LinkedHashMap<>();
        if (json != null) {
            JSON.readTree(json).properties().forEach(e -> tables.put(e.getKey(), e.getValue().asLong()));
        }
        return tables;
    }

    /** {@code table_versions} of a migration's tables: NULL when it brought none up to date. */
    static String tableVersionsJson(Map<String, Long> tables) {
        return tables.isEmpty() ? null : JSON.writeValueAsString(tables);
    }
}

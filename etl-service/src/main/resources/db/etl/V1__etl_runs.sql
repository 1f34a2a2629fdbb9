-- ETL bookkeeping owned by etl-service: one row per run and the committed watermark per dataset.
CREATE TABLE etl.runs (
    id               BIGSERIAL   PRIMARY KEY,
    dataset          TEXT        NOT NULL,
    status           TEXT        NOT NULL,   -- QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED
    trigger          TEXT        NOT NULL,   -- API, SCHEDULE, THRESHOLD
    requested_by     TEXT,
    phase            TEXT,
    progress_percent INT         NOT NULL DEFAULT 0,
    rows_read        BIGINT,
    rows_written     BIGINT,
    rows_rejected    BIGINT,
    files_written    BIGINT,
    delta_version    BIGINT,
    watermark_from   BIGINT,
    watermark_to     BIGINT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    error            TEXT,
    notifications    TEXT,       -- outcome of the catalog refresh / versioning calls after success
    spark_pid        BIGINT      -- the Spark JVM of a running run (killed if left over after a restart)
);

-- one writer per Delta table: at most one queued or running run per dataset
CREATE UNIQUE INDEX runs_one_active_per_dataset ON etl.runs (dataset) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX runs_dataset_id_idx ON etl.runs (dataset, id DESC);

-- staged rows with id <= committed_id are in Delta (and deleted from staging, or about to be)
CREATE TABLE etl.watermarks (
    dataset      TEXT        PRIMARY KEY,
    committed_id BIGINT      NOT NULL,
    last_run_id  BIGINT      REFERENCES etl.runs (id),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

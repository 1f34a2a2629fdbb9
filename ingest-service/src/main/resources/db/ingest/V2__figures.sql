-- Durable operational figures (issue #18): counts per hour, dataset and site that survive restarts of every
-- service. Staging outcomes are added in the same transaction as the staged rows (StagingWriter), the collector's
-- request outcomes arrive as reports on the Kafka topic lakehouse.collector-figures and are added once per report
-- (collector_reports). Dead letters are counted from ingest.dead_letters, rows written to the lake from etl.runs.
CREATE TABLE ingest.figures (
    -- start of the hour (UTC) the counts belong to: when the collector answered / when ingest staged
    hour                   TIMESTAMPTZ NOT NULL,
    dataset                TEXT        NOT NULL,
    -- the sending site ('' if unknown)
    site                   TEXT        NOT NULL,
    -- collector: records in requests, accepted (Kafka ack), rejected (invalid), duplicates within a request,
    -- unacknowledged (Kafka did not ack in time: the site got 503 and sends again)
    received               BIGINT      NOT NULL DEFAULT 0,
    accepted               BIGINT      NOT NULL DEFAULT 0,
    rejected               BIGINT      NOT NULL DEFAULT 0,
    request_duplicates     BIGINT      NOT NULL DEFAULT 0,
    unacknowledged         BIGINT      NOT NULL DEFAULT 0,
    -- ingest: new keys staged, staged rows replaced by a newer record, the same record again, older than staged
    staged_inserted        BIGINT      NOT NULL DEFAULT 0,
    staged_updated         BIGINT      NOT NULL DEFAULT 0,
    staged_duplicates      BIGINT      NOT NULL DEFAULT 0,
    staged_stale           BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, dataset, site)
);
CREATE INDEX figures_dataset_hour_idx ON ingest.figures (dataset, hour);

-- collector reports already added (a re-delivered report adds nothing); purged after INGEST_FIGURES_REPORT_RETENTION
CREATE TABLE ingest.collector_reports (
    report_id   TEXT        PRIMARY KEY,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX collector_reports_received_idx ON ingest.collector_reports (received_at);
-- dead letters per hour: first_seen
CREATE INDEX dead_letters_first_seen_idx ON ingest.dead_letters (first_seen);

-- Staging store shared by ingest-service (writer) and the ETL jobs (reader/deleter).
-- One list partition per dataset so migrated rows of one dataset can be removed cheaply and each dataset can be
-- locked on its own when the ETL claims a watermark range. Partitions are created by ingest-service at start-up
-- for every dataset of the catalog (see StagingPartitions); the default partition catches nothing in practice.
CREATE SCHEMA IF NOT EXISTS staging;

-- CACHE 1 matters: the ETL claim (LOCK partition, read max(id)) relies on ids being handed out in commit-safe order.
CREATE SEQUENCE staging.records_id_seq AS BIGINT CACHE 1;

CREATE TABLE staging.records (
    id          BIGINT      NOT NULL DEFAULT nextval('staging.records_id_seq'),
    dataset     TEXT        NOT NULL,
    dedup_key   TEXT        NOT NULL,
    site        TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    staged_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    payload     JSONB       NOT NULL,
    PRIMARY KEY (dataset, dedup_key)
) PARTITION BY LIST (dataset);

CREATE INDEX records_dataset_id_idx ON staging.records (dataset, id);

CREATE TABLE staging.records_default PARTITION OF staging.records DEFAULT;

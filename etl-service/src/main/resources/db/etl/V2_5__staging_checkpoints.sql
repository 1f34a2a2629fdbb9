-- issue #18 freshness: checkpoints of staging taken every ETL_FRESHNESS_CHECKPOINT_INTERVAL by etl-service: the
-- highest staged id at that time and the newest receive time of the rows up to it. Once the committed watermark
-- reaches a checkpoint's id_bound, all those rows are in main: the newest such checkpoint gives "newest row at main"
-- long after the migrated rows were deleted from staging. Older checkpoints below the watermark are pruned.
CREATE TABLE etl.staging_checkpoints (
    dataset            TEXT        NOT NULL,
    id_bound           BIGINT      NOT NULL,
    newest_received_at TIMESTAMPTZ,
    taken_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, id_bound)
);

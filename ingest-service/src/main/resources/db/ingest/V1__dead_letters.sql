-- Dead letters: consumed records ingest-service could not stage, kept until an admin replays or discards them
-- (docs/operator-guide.md, "Dead letters"). Schema `ingest` with its own Flyway history (ingest.flyway_schema_history):
-- the staging DDL lives in common (db/staging) and is versioned separately.
--
-- PENDING letters never expire. REPLAYED and DISCARDED ones are resolved and deleted INGEST_DEAD_LETTER_RETENTION
-- (default 30 days) after resolved_at.
CREATE TABLE ingest.dead_letters (
    id                    BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- dataset of the topic the record was consumed from
    dataset               TEXT        NOT NULL,
    -- site named by the envelope, when it could be read (first 100 characters)
    site                  TEXT,
    topic                 TEXT        NOT NULL,
    kafka_partition       INT         NOT NULL,
    kafka_offset          BIGINT      NOT NULL,
    kafka_timestamp       TIMESTAMPTZ,
    record_key            BYTEA,
    -- the Kafka value exactly as consumed (empty for a null value)
    envelope              BYTEA       NOT NULL,
    envelope_sha256       BYTEA       NOT NULL GENERATED ALWAYS AS (sha256(envelope)) STORED,
    reason                TEXT        NOT NULL,
    -- the letter whose replay produced this record, if it was one (Kafka header lakehouse.replay-of)
    replay_of             BIGINT,
    first_seen            TIMESTAMPTZ NOT NULL DEFAULT now(),
    status                TEXT        NOT NULL DEFAULT 'PENDING'
                                      CHECK (status IN ('PENDING', 'REPLAYED', 'DISCARDED')),
    times_replayed        INT         NOT NULL DEFAULT 0,
    last_replayed_at      TIMESTAMPTZ,
    last_replayed_by      TEXT,
    last_replay_partition INT,
    last_replay_offset    BIGINT,
    -- the envelope the last replay published
    last_replay_envelope  BYTEA,
    discarded_at          TIMESTAMPTZ,
    discarded_by          TEXT,
    discard_note          TEXT,
    resolved_at           TIMESTAMPTZ
);

-- A re-delivered batch (offsets not committed yet) stores nothing twice. The value's hash is part of the key so that a
-- re-created topic, whose offsets start again at 0, can never hide a different record behind an old letter.
CREATE UNIQUE INDEX dead_letters_source_idx
    ON ingest.dead_letters (topic, kafka_partition, kafka_offset, envelope_sha256);
-- listing newest first, by status or by dataset and status
CREATE INDEX dead_letters_status_idx ON ingest.dead_letters (status, id);
CREATE INDEX dead_letters_dataset_idx ON ingest.dead_letters (dataset, status, id);
-- pending count and age per dataset (metrics, stats)
CREATE INDEX dead_letters_pending_idx ON ingest.dead_letters (dataset, first_seen) WHERE status = 'PENDING';
-- retention purge
CREATE INDEX dead_letters_resolved_idx ON ingest.dead_letters (resolved_at) WHERE status <> 'PENDING';

CREATE TABLE query_history (
    id             VARCHAR(64) PRIMARY KEY,
    username       VARCHAR(128) NOT NULL,
    sql_text       TEXT         NOT NULL,
    ref            VARCHAR(256),
    executed_sql   TEXT,
    status         VARCHAR(16)  NOT NULL,
    saved_query_id BIGINT,
    trino_query_id VARCHAR(128),
    row_count      BIGINT,
    truncated      BOOLEAN      NOT NULL DEFAULT FALSE,
    error          TEXT,
    created_at     TIMESTAMPTZ  NOT NULL,
    finished_at    TIMESTAMPTZ,
    duration_ms    BIGINT
);
CREATE INDEX query_history_user_created ON query_history (username, created_at DESC);

CREATE TABLE saved_query (
    id          BIGSERIAL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL UNIQUE,
    description TEXT         NOT NULL DEFAULT '',
    sql_text    TEXT         NOT NULL,
    parameters  JSONB        NOT NULL DEFAULT '[]',
    owner       VARCHAR(128) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);

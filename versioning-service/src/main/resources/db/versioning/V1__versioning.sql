-- Git-like versioning of Delta tables: a commit pins {table -> Delta version}.
-- Every commit stores its FULL table map (tables), so resolving a ref never walks history.

CREATE TABLE versioning.commits (
    id         text COLLATE "C" PRIMARY KEY,            -- SHA-256 hex; "C" collation lets prefix ranges use the index
    parent1    text COLLATE "C" REFERENCES versioning.commits (id),
    parent2    text COLLATE "C" REFERENCES versioning.commits (id),
    generation integer     NOT NULL,                    -- 1 + max(parent generations): bounds ancestor walks
    author     text        NOT NULL,
    message    text        NOT NULL,
    created_at timestamptz NOT NULL,
    properties jsonb       NOT NULL DEFAULT '{}'::jsonb,
    tables     jsonb       NOT NULL,                    -- full snapshot {table -> Delta version}
    changed    jsonb       NOT NULL,                    -- {table -> version, null = removed} relative to parent1
    etl_run_id text UNIQUE                              -- makes ETL auto-commits idempotent under retries
);

CREATE TABLE versioning.branches (
    name       text PRIMARY KEY,
    head       text COLLATE "C" NOT NULL REFERENCES versioning.commits (id),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE versioning.tags (
    name       text PRIMARY KEY,
    commit_id  text COLLATE "C" NOT NULL REFERENCES versioning.commits (id),
    message    text,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX tags_by_commit ON versioning.tags (commit_id);
CREATE INDEX branches_by_head ON versioning.branches (head);

-- Reflog: where each branch pointed and since when ("main as of time T" = last move at or before T).
CREATE TABLE versioning.branch_moves (
    id        bigserial PRIMARY KEY,
    branch    text        NOT NULL,
    commit_id text COLLATE "C" NOT NULL REFERENCES versioning.commits (id),
    moved_at  timestamptz NOT NULL,
    moved_by  text        NOT NULL,
    reason    text        NOT NULL
);
CREATE INDEX branch_moves_by_time ON versioning.branch_moves (branch, moved_at DESC, id DESC);

-- the versioning commit that pinned what a write on a branch (branch work) wrote
ALTER TABLE query_history ADD COLUMN commit_id VARCHAR(64);

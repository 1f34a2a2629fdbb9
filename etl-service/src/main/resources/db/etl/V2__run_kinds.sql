-- issue #14: maintenance runs (Delta OPTIMIZE / VACUUM) share the run history with the ETL runs that migrate staged
-- rows. Existing rows are migrations. The one-active-run-per-dataset index covers every kind: OPTIMIZE and VACUUM
-- write to the dataset's Delta table too (one writer per table).
ALTER TABLE etl.runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'migrate';
ALTER TABLE etl.runs ADD CONSTRAINT runs_kind_known CHECK (kind IN ('migrate', 'optimize', 'vacuum'));
-- what a maintenance run did, as JSON (files before/after, bytes removed, partitions, retention)
ALTER TABLE etl.runs ADD COLUMN details TEXT;
-- the request of a maintenance run (e.g. the partitions to look at), as JSON
ALTER TABLE etl.runs ADD COLUMN request TEXT;

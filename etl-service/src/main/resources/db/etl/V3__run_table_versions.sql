-- issue #18: every table a migration brought up to date -> its Delta version (the dataset table and its summary
-- tables), as a JSON object, e.g. {"trace":12,"trace_daily_site":7}: what the run's versioning commit pins. Stored
-- with the run's figures (phase publishing), so a run finished after a restart commits the same tables. NULL for
-- runs before this column and for runs that wrote nothing.
ALTER TABLE etl.runs ADD COLUMN table_versions TEXT;

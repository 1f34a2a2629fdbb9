-- Newest record wins (issue #12). For a dedup key, ingest-service keeps the newest record in staging and the ETL's
-- MERGE replaces a lake row only with a newer one. Newest = compare, in this order (nulls lowest):
--   ordered_at       the value of the dataset's order field (descriptor line `order`, e.g. trace
--                    laststatuschangetimestamp), null when the dataset has none or the record did not send it
--   received_at      when the collector accepted the record
--   kafka_partition, kafka_offset   where ingest-service read it (null for rows staged before V3)
-- An update of a staged row takes a new id from staging.records_id_seq, so an ETL run that claimed the old id never
-- deletes the update unseen; the next run picks it up.
ALTER TABLE staging.records
    ADD COLUMN ordered_at      TIMESTAMPTZ,
    ADD COLUMN kafka_partition INT,
    ADD COLUMN kafka_offset    BIGINT;

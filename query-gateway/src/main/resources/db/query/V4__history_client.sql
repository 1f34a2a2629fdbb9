-- the client that sent a query over Trino's client protocol (X-Trino-Source, else its User-Agent); null for the REST API
ALTER TABLE query_history ADD COLUMN client VARCHAR(256);

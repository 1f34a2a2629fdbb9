-- Least-privilege database roles of the ALICE Data Lakehouse (docs/security.md, "Least privilege"). One login role
-- per service, each owning its own schema; the services never log in as a superuser or as the database owner.
--
--   role                  owns schema   may also
--   lakehouse_staging     staging       (migrates staging and creates its partitions: ingest-service at start-up);
--                                       CREATE on the database (staging's first migration creates the schema)
--   lakehouse_ingest      ingest        staging tables: SELECT, INSERT, UPDATE; staging sequences: USAGE; TEMP tables
--   lakehouse_etl         etl           staging tables: SELECT, DELETE (the claim's LOCK ... IN SHARE MODE needs one
--                                       of UPDATE/DELETE/TRUNCATE); the Spark job runs with these credentials
--   lakehouse_query       query         -
--   lakehouse_versioning  versioning    -
--
-- Run it as a superuser connected to the lakehouse database: deploy/postgres/init-roles.sh does (docker compose:
-- the postgres-init service at every `up`; an external Postgres: by hand), the local stack's Postgres launcher
-- does at every start. It is idempotent and converges: missing roles and schemas are created, schemas and the
-- tables in them are given to their owner (an older deployment where one role owned everything is upgraded),
-- grants and default privileges are (re)applied. Passwords come from the session settings
-- lakehouse.<name>_password (name = staging, ingest, etl, query, versioning); an unset or empty one leaves the
-- role's password as it is.
--
-- No psql meta-commands: JDBC runs this file as one script too.

DO $roles$
DECLARE
    svc       text;
    role_name text;
    secret    text;
BEGIN
    FOREACH svc IN ARRAY ARRAY['staging', 'ingest', 'etl', 'query', 'versioning'] LOOP
        role_name := 'lakehouse_' || svc;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I LOGIN NOINHERIT', role_name);
        ELSE
            EXECUTE format('ALTER ROLE %I LOGIN NOINHERIT', role_name);
        END IF;
        -- a service role holds nothing beyond its grants: no attribute that bypasses them, no membership
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name
                   AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)) THEN
            EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS', role_name);
        END IF;
        PERFORM 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
            WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = role_name);
        IF FOUND THEN
            EXECUTE (SELECT format('REVOKE %s FROM %I', string_agg(quote_ident(r.rolname), ', '), role_name)
                     FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
                     WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = role_name));
        END IF;
        secret := current_setting('lakehouse.' || svc || '_password', true);
        IF coalesce(secret, '') <> '' THEN
            EXECUTE format('ALTER ROLE %I PASSWORD %L', role_name, secret);
        END IF;
    END LOOP;
END
$roles$;

-- The database: only the service roles (and its owner, and superusers) may connect; only the staging migration
-- creates in it.
DO $database$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO lakehouse_staging, lakehouse_ingest, lakehouse_etl, '
                       || 'lakehouse_query, lakehouse_versioning', current_database());
    -- ingest-service's batch table and the staging migration V4 are session temp tables
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO lakehouse_ingest, lakehouse_staging', current_database());
    EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM lakehouse_etl, lakehouse_query, '
                       || 'lakehouse_versioning', current_database());
    EXECUTE format('REVOKE CREATE ON DATABASE %I FROM lakehouse_ingest', current_database());
    -- staging migration V1 runs CREATE SCHEMA IF NOT EXISTS staging, which PostgreSQL checks against the database's
    -- CREATE privilege even when the schema exists: the migrating role may create schemas
    EXECUTE format('GRANT CREATE ON DATABASE %I TO lakehouse_staging', current_database());
END
$database$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Each schema and everything in it belongs to its service's role.
DO $owners$
DECLARE
    schema_name text;
    owner_name  text;
    rel         record;
BEGIN
    FOR schema_name, owner_name IN SELECT * FROM (VALUES ('staging', 'lakehouse_staging'),
            ('ingest', 'lakehouse_ingest'), ('etl', 'lakehouse_etl'), ('query', 'lakehouse_query'),
            ('versioning', 'lakehouse_versioning')) AS schemas (s, o) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = schema_name) THEN
            EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', schema_name, owner_name);
        ELSE
            EXECUTE format('ALTER SCHEMA %I OWNER TO %I', schema_name, owner_name);
        END IF;
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', schema_name);
        -- tables first: their identity/serial sequences follow them; then the sequences of their own
        FOR rel IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = schema_name AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                     AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = owner_name) LOOP
            EXECUTE format('ALTER %s %I.%I OWNER TO %I',
                           CASE rel.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                            WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                           schema_name, rel.relname, owner_name);
        END LOOP;
        FOR rel IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = schema_name AND c.relkind = 'S'
                     AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = owner_name) LOOP
            EXECUTE format('ALTER SEQUENCE %I.%I OWNER TO %I', schema_name, rel.relname, owner_name);
        END LOOP;
    END LOOP;
END
$owners$;

-- staging: ingest-service writes rows, the ETL (etl-service and its Spark job) reads, claims and deletes them.
-- Partitions created later (one per dataset, by lakehouse_staging) get the same through the default privileges.
GRANT USAGE ON SCHEMA staging TO lakehouse_ingest, lakehouse_etl;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA staging TO lakehouse_ingest;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA staging TO lakehouse_ingest;
GRANT SELECT, DELETE ON ALL TABLES IN SCHEMA staging TO lakehouse_etl;
REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA staging FROM lakehouse_ingest;
REVOKE INSERT, UPDATE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA staging FROM lakehouse_etl;
ALTER DEFAULT PRIVILEGES FOR ROLE lakehouse_staging IN SCHEMA staging
    GRANT SELECT, INSERT, UPDATE ON TABLES TO lakehouse_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE lakehouse_staging IN SCHEMA staging
    GRANT USAGE ON SEQUENCES TO lakehouse_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE lakehouse_staging IN SCHEMA staging
    GRANT SELECT, DELETE ON TABLES TO lakehouse_etl;

-- ... but not staging's Flyway history (the default privileges hand it out when the first migration creates it;
-- ingest-service takes them back after every migration, this converges an older deployment)
DO $history$
BEGIN
    IF to_regclass('staging.flyway_schema_history') IS NOT NULL THEN
        REVOKE ALL ON staging.flyway_schema_history FROM PUBLIC, lakehouse_ingest, lakehouse_etl;
    END IF;
END
$history$;

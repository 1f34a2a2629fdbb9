package ch.cern.alice.lakehouse.ingest.deadletter;

import org.flywaydb.core.Flyway;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

/**
 * Migrates schema {@code ingest} (ingest-service's own tables: dead letters) from {@code classpath:db/ingest} with its
 * own Flyway history, next to the staging schema that Spring Boot's Flyway migrates from common's
 * {@code db/staging}. Runs when the first bean that needs the tables is created, so before the Kafka listener and
 * the API start.
 */
@Component
public class DeadLetterSchema {

    public static final String SCHEMA = "ingest";

    public DeadLetterSchema(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .table("flyway_schema_history")
                .locations("classpath:db/ingest")
                .load()
                .migrate();
    }
}

package ch.cern.alice.lakehouse.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Kafka dataset topics -> Postgres staging. Settings are read from {@code ingest.yml} (not application.yml) so
 * the service can share a classpath with other services, as in the end-to-end tests.
 */
@SpringBootApplication
public class IngestApplication {

    public static final String CONFIG_NAME = "ingest";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as main runs it; tests start (and restart) it through here too. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(IngestApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}

package ch.cern.alice.lakehouse.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Kafka dataset topics -> Postgres staging. Settings are read from {@code application.yml}, as in every service;
 * where it shares a classpath with another service (e2e-tests' LakehouseStack) the caller names its file with
 * {@code spring.config.location}.
 */
@SpringBootApplication
public class IngestApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as main runs it; tests start (and restart) it through here too. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(IngestApplication.class);
    }
}

package ch.cern.alice.lakehouse.collector;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Grid sites POST monitoring records here; they are validated and published to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CollectorApplication {

    public static void main(String[] args) {
        SpringApplication.run(CollectorApplication.class, args);
    }
}

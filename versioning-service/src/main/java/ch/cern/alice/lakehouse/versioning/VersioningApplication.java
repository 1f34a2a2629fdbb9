package ch.cern.alice.lakehouse.versioning;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class VersioningApplication {

    public static void main(String[] args) {
        SpringApplication.run(VersioningApplication.class, args);
    }
}

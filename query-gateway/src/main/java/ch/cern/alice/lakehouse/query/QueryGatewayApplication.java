package ch.cern.alice.lakehouse.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class QueryGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueryGatewayApplication.class, args);
    }
}

package ch.cern.alice.lakehouse.webui;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Serves the single-page app and proxies the services' APIs under one origin. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WebUiApplication {

    public static void main(String[] args) {
        SpringApplication.run(WebUiApplication.class, args);
    }
}

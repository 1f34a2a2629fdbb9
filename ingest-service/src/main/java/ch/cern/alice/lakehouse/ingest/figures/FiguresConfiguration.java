package ch.cern.alice.lakehouse.ingest.figures;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FiguresProperties.class)
public class FiguresConfiguration {
}

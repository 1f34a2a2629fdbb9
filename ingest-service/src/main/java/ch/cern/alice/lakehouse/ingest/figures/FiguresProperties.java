package ch.cern.alice.lakehouse.ingest.figures;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param collectorTopic  the topic the collector sends its per-request outcome counts on
 * @param reportRetention how long the ids of added collector reports are kept (a report re-delivered later than
 *                        this would be added twice; Kafka re-delivers within minutes)
 */
@ConfigurationProperties("ingest.figures")
public record FiguresProperties(String collectorTopic, Duration reportRetention) {

    public FiguresProperties {
        collectorTopic = collectorTopic == null || collectorTopic.isBlank() ? "lakehouse.collector-figures"
                : collectorTopic;
        reportRetention = reportRetention == null ? Duration.ofDays(7) : reportRetention;
    }
}

package ch.cern.alice.lakehouse.collector.config;

import ch.cern.alice.lakehouse.collector.intake.InflightLimiter;
import ch.cern.alice.lakehouse.collector.intake.RecordIntake;
import ch.cern.alice.lakehouse.collector.intake.RecordPublisher;
import ch.cern.alice.lakehouse.collector.stats.CollectorStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.json.JsonFactory;

@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

    @Bean
    CollectorStats collectorStats(MeterRegistry registry) {
        return new CollectorStats(registry);
    }

    @Bean
    RecordIntake recordIntake(RecordPublisher publisher, CollectorStats stats, CollectorProperties properties) {
        return new RecordIntake(new JsonFactory(), publisher, stats, properties.maxRecords(),
                properties.maxRecordBytes().toBytes());
    }

    @Bean
    InflightLimiter inflightLimiter(CollectorProperties properties, MeterRegistry registry) {
        InflightLimiter limiter = new InflightLimiter(properties.maxInflightRequests());
        Gauge.builder("lakehouse.collector.inflight.requests", limiter, InflightLimiter::inflight)
                .description("POST requests being processed").register(registry);
        return limiter;
    }
}

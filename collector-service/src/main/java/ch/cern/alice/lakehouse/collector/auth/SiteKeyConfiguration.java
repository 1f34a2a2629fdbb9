package ch.cern.alice.lakehouse.collector.auth;

import ch.cern.alice.lakehouse.collector.config.CollectorProperties;
import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
class SiteKeyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SiteKeyConfiguration.class);

    @Bean
    SiteKeyRegistry siteKeyRegistry(CollectorProperties properties, DatasetCatalog catalog) {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("COLLECTOR_SITE_KEYS", properties.siteKeys());
        if (!properties.siteKeysFile().isBlank()) {
            Path file = Path.of(properties.siteKeysFile());
            try {
                sources.put(file.toString(), Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read COLLECTOR_SITE_KEYS_FILE " + file, e);
            }
        }
        SiteKeyRegistry registry = new SiteKeyParser(catalog.names()).parse(sources);
        if (registry.size() == 0) {
            log.warn("No site API keys configured (COLLECTOR_SITE_KEYS / COLLECTOR_SITE_KEYS_FILE): "
                    + "every POST will be refused with 401");
        } else {
            log.info("{} site API key(s) configured", registry.size());
        }
        return registry;
    }
}

package ch.cern.alice.lakehouse.collector.config;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

    /** Built-in datasets plus those in {@code LAKEHOUSE_DATASETS_DIR}. */
    @Bean
    DatasetCatalog datasetCatalog() {
        return DatasetCatalog.load();
    }
}

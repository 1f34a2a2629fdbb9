package ch.cern.alice.lakehouse.etl.infra;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class CatalogConfiguration {

    /** Built-in datasets plus those of {@code LAKEHOUSE_DATASETS_DIR}. */
    @Bean
    public DatasetCatalog datasetCatalog() {
        return DatasetCatalog.load();
    }
}

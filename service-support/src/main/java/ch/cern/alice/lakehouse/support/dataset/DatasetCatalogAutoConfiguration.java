package ch.cern.alice.lakehouse.support.dataset;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The one {@link DatasetCatalog} bean of every service: the built-in datasets plus the {@code *.dataset} files of
 * {@code LAKEHOUSE_DATASETS_DIR} ({@link DatasetCatalog#load()}). A service (or test) that declares its own
 * {@code DatasetCatalog} bean replaces it.
 */
@AutoConfiguration
public class DatasetCatalogAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public DatasetCatalog datasetCatalog() {
        return DatasetCatalog.load();
    }
}

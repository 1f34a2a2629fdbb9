package ch.cern.alice.lakehouse.support.dataset;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetCatalogAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DatasetCatalogAutoConfiguration.class));

    @Test
    void everyServiceGetsTheBuiltInDatasets() {
        runner.run(context -> assertThat(context.getBean(DatasetCatalog.class).names())
                .containsAll(DatasetCatalog.builtIn().names()));
    }

    @Test
    void aCatalogOfItsOwnReplacesIt() {
        DatasetCatalog own = new DatasetCatalog(List.of());
        runner.withBean(DatasetCatalog.class, () -> own)
                .run(context -> assertThat(context.getBean(DatasetCatalog.class)).isSameAs(own));
    }
}

package ch.cern.alice.lakehouse.localstack;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.common.dataset.FieldSpec;
import ch.cern.alice.lakehouse.localstack.docs.DatasetDocs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetDocsTest {

    private static final Path DOC = Path.of(System.getProperty("repo.root", ".."), "docs", "datasets.md");

    @Test
    void everyDatasetAndColumnIsDocumented() {
        String md = DatasetDocs.render(DatasetCatalog.builtIn());
        for (DatasetDescriptor d : DatasetCatalog.builtIn().all()) {
            assertThat(md).contains("## " + d.name(), d.topic());
            for (FieldSpec f : d.fields()) {
                assertThat(md).contains("| `" + f.name() + "` | " + f.type().name());
            }
        }
        assertThat(md).contains("derived: `jdl-mb:MemorySize`");
    }

    @Test
    void committedDatasetsPageIsUpToDate() throws Exception {
        assertThat(Files.readString(DOC))
                .as("docs/datasets.md is stale: regenerate it with DatasetDocs (see docs/operator-guide.md)")
                .isEqualTo(DatasetDocs.render(DatasetCatalog.builtIn()));
    }
}

package ch.cern.alice.lakehouse.etl.api;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.etl.run.RunRepository;
import ch.cern.alice.lakehouse.etl.staging.StagingRepository;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
public class StagingController {

    /**
     * @param stagedRows  rows currently in the dataset's staging partition
     * @param pendingRows rows not migrated yet (above the committed watermark)
     */
    public record StagingStatus(String dataset, long stagedRows, long pendingRows, long committedWatermark,
                                long maxStagedId) {
    }

    private final DatasetCatalog catalog;
    private final StagingRepository staging;
    private final RunRepository runs;

    public StagingController(DatasetCatalog catalog, StagingRepository staging, RunRepository runs) {
        this.catalog = catalog;
        this.staging = staging;
        this.runs = runs;
    }

    @GetMapping("/api/v1/etl/staging")
    @PreAuthorize("hasRole('VIEWER')")
    public List<StagingStatus> staging() {
        return catalog.names().stream().map(ds -> {
            long watermark = runs.committedWatermark(ds);
            StagingRepository.Counts c = staging.counts(ds, watermark);
            return new StagingStatus(ds, c.staged(), c.pending(), watermark, c.maxId());
        }).toList();
    }
}

package ch.cern.alice.lakehouse.query.catalog;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.support.s3.S3Properties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

import java.util.Set;
import java.util.TreeSet;

/** Delta tables present in the bucket: {@code s3://<bucket>/<name>/_delta_log/} exists. */
@Component
public class LakeTables {

    private final S3Client s3;
    private final String bucket;
    private final DatasetCatalog datasets;

    public LakeTables(S3Client s3, S3Properties properties, DatasetCatalog datasets) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        this.datasets = datasets;
    }

    /** Catalog datasets plus derived tables (e.g. trace_daily_site) that have a Delta log in the bucket. */
    public Set<String> presentTables() {
        Set<String> candidates = new TreeSet<>(datasets.names());
        s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).delimiter("/").build())
                .commonPrefixes().stream()
                .map(CommonPrefix::prefix)
                .map(p -> p.substring(0, p.length() - 1))
                .filter(name -> name.matches("[a-z][a-z0-9_]*"))
                .forEach(candidates::add);
        Set<String> present = new TreeSet<>();
        for (String name : candidates) {
            if (hasDeltaLog(name)) {
                present.add(name);
            }
        }
        return present;
    }

    /** @param path a table's path below the bucket ({@code t}, or {@code branch_x/t} for a branch table) */
    public String location(String path) {
        return "s3://" + bucket + "/" + path;
    }

    /** @param path a table's path below the bucket ({@code t}, or {@code branch_x/t} for a branch table) */
    public boolean hasDeltaLog(String path) {
        return s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).prefix(path + "/_delta_log/")
                .maxKeys(1).build()).keyCount() > 0;
    }
}

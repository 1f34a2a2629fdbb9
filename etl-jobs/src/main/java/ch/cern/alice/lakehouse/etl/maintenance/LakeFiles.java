package ch.cern.alice.lakehouse.etl.maintenance;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** File counts of a Delta table: live files per partition (from the log) and everything in its directory. */
final class LakeFiles {

    /** Data files in a table's directory, outside {@code _delta_log}. */
    record DirectoryFiles(long count, long bytes) {
    }

    private LakeFiles() {
    }

    /** Live data files of the table's current version per partition ("year=2024/month=6", "" unpartitioned). */
    static Map<String, Integer> liveFilesPerPartition(SparkSession spark, String tablePath) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String file : spark.read().format("delta").load(tablePath).inputFiles()) {
            counts.merge(partitionOf(file), 1, Integer::sum);
        }
        return counts;
    }

    /** The Hive-style partition directories just above a data file's name: "year=2024/month=6". */
    static String partitionOf(String file) {
        String path = URI.create(file.replace(" ", "%20")).getPath();
        String[] segments = path.split("/");
        List<String> parts = new ArrayList<>();
        for (int i = segments.length - 2; i >= 0 && segments[i].contains("="); i--) {
            parts.add(0, segments[i]);
        }
        return String.join("/", parts);
    }

    static DirectoryFiles directoryFiles(SparkSession spark, String tablePath) {
        try {
            Path root = new Path(tablePath);
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(root)) {
                return new DirectoryFiles(0, 0);
            }
            long count = 0;
            long bytes = 0;
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
            while (files.hasNext()) {
                LocatedFileStatus f = files.next();
                String relative = f.getPath().toUri().getPath();
                if (relative.contains("/_delta_log/") || f.getPath().getName().startsWith(".")
                        || f.getPath().getName().startsWith("_")) {
                    continue;
                }
                count++;
                bytes += f.getLen();
            }
            return new DirectoryFiles(count, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + tablePath + " failed", e);
        }
    }
}

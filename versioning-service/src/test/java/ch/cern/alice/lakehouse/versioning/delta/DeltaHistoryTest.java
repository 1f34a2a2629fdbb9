package ch.cern.alice.lakehouse.versioning.delta;

import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter;
import ch.cern.alice.lakehouse.versioning.testsupport.DeltaTableWriter.Column;
import ch.cern.alice.lakehouse.versioning.testsupport.TestS3;
import ch.cern.alice.lakehouse.versioning.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading Delta logs from a real S3 (S3Proxy): row figures, schemas, checkpoints with cleaned-up commits. */
class DeltaHistoryTest {

    private static S3Client s3;
    private static DeltaTableWriter writer;
    private static DeltaLogReader reader;
    private static DeltaHistory history;

    @BeforeAll
    static void setUp() {
        TestS3 proxy = TestServers.get().s3();
        s3 = proxy.newClient();
        writer = new DeltaTableWriter(s3, TestS3.BUCKET);
        JsonMapper mapper = JsonMapper.builder().build();
        reader = new DeltaLogReader(s3, proxy.properties(), mapper, 100);
        history = new DeltaHistory(reader, mapper);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    @Test
    void sumsRowFiguresOverAVersionRange() {
        writer.create("dh_sum", List.of(new Column("id", "long")), List.of("year", "month"), 100, Instant.now());
        writer.merge("dh_sum", 10, 3, 2, Instant.now());
        writer.merge("dh_sum", 7, 0, 0, Instant.now());
        var all = history.summarize("dh_sum", null, 2);
        assertThat(all.rowsAdded()).isEqualTo(117);
        assertThat(all.rowsRemoved()).isEqualTo(2);
        assertThat(all.rowsUpdated()).isEqualTo(3);
        assertThat(all.operations()).containsExactly("WRITE", "MERGE", "MERGE");
        assertThat(all.complete()).isTrue();
        var last = history.summarize("dh_sum", 1L, 2);
        assertThat(last.rowsAdded()).isEqualTo(7);
        assertThat(reader.latestVersion("dh_sum")).hasValue(2);
        assertThat(reader.hasVersion("dh_sum", 2)).isTrue();
        assertThat(reader.hasVersion("dh_sum", 3)).isFalse();
        assertThat(reader.latestVersion("dh_missing")).isEmpty();
    }

    @Test
    void trinoWrittenTablesCountRowsFromTheirFileStats() {
        // commit files as Trino 476 writes them (CREATE TABLE AS, INSERT, DELETE): operationMetrics empty, stats on
        // add actions only; the DELETE is a MERGE removing file a (2 rows) and adding file c (1 row)
        putCommit("branch_dh/eff", 0, trinoCommit("CREATE TABLE AS SELECT", 0)
                + "\n{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}"
                + "\n{\"metaData\":{\"id\":\"m\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
                + "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\","
                + "\\\"type\\\":\\\"integer\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
                + "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":1}}"
                + "\n" + trinoAdd("a", 2));
        putCommit("branch_dh/eff", 1, trinoCommit("WRITE", 1) + "\n" + trinoAdd("b", 1));
        putCommit("branch_dh/eff", 2, trinoCommit("MERGE", 2)
                + "\n{\"remove\":{\"path\":\"a\",\"partitionValues\":{},\"deletionTimestamp\":3,\"dataChange\":true}}"
                + "\n" + trinoAdd("c", 1));

        var created = history.summarize("branch_dh.eff", null, 0);
        assertThat(created.rowsAdded()).isEqualTo(2);
        assertThat(created.complete()).isTrue();
        assertThat(created.operations()).containsExactly("CREATE TABLE AS SELECT");
        assertThat(history.summarize("branch_dh.eff", 0L, 1).rowsAdded()).isEqualTo(1);
        var deleted = history.summarize("branch_dh.eff", 1L, 2);
        assertThat(deleted.rowsRemoved()).as("file a's rows, from its add action in version 0").isEqualTo(2);
        assertThat(deleted.rowsAdded() - deleted.rowsRemoved()).as("net: one row deleted").isEqualTo(-1);
        assertThat(deleted.complete()).isTrue();
        assertThat(deleted.notes()).anySatisfy(note -> assertThat(note).contains("versions 2 rewrote files"));
        assertThat(history.schemaAt("branch_dh.eff", 2).orElseThrow().columns()).containsOnlyKeys("id");
        assertThat(reader.location("branch_dh.eff")).endsWith("/branch_dh/eff");
    }

    private static String trinoCommit(String operation, long version) {
        return "{\"commitInfo\":{\"version\":" + version + ",\"timestamp\":1795666284400,\"userId\":\"lakehouse\","
                + "\"operation\":\"" + operation + "\",\"operationParameters\":{\"queryId\":\"q\"},"
                + "\"clusterId\":\"trino-476-lakehouse-trino-1\",\"readVersion\":0,"
                + "\"isolationLevel\":\"WriteSerializable\",\"isBlindAppend\":true,\"operationMetrics\":{}}}";
    }

    private static String trinoAdd(String path, long records) {
        return "{\"add\":{\"path\":\"" + path + "\",\"partitionValues\":{},\"size\":317,\"modificationTime\":1,"
                + "\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":" + records + "}\",\"tags\":{}}}";
    }

    private static void putCommit(String tablePath, long version, String content) {
        s3.putObject(b -> b.bucket(TestS3.BUCKET).key(tablePath + "/_delta_log/" + String.format("%020d.json", version)),
                software.amazon.awssdk.core.sync.RequestBody.fromString(content));
    }

    @Test
    void schemaAtAVersionIsTheNewestMetadataBeforeIt() {
        writer.create("dh_schema", List.of(new Column("id", "long"), new Column("site", "string")), List.of(), 5,
                Instant.now());
        writer.merge("dh_schema", 1, 0, 0, Instant.now());
        writer.addColumns("dh_schema", List.of(new Column("gpu", "string")), Instant.now());
        TableSchema v1 = history.schemaAt("dh_schema", 1).orElseThrow();
        TableSchema v2 = history.schemaAt("dh_schema", 2).orElseThrow();
        assertThat(v1.columns()).containsOnlyKeys("id", "site");
        var diff = v1.diffTo(v2);
        assertThat(diff.added()).containsExactly(new TableSchema.Column("gpu", "string"));
        assertThat(diff.removed()).isEmpty();
        assertThat(history.summarize("dh_schema", 1L, 2).rowsAdded()).as("ADD COLUMNS moves no rows").isZero();
    }

    @Test
    void cleanedUpCommitsAreReportedNotInvented() {
        writer.create("dh_ckpt", List.of(new Column("id", "long")), List.of(), 50, Instant.now());
        writer.merge("dh_ckpt", 5, 0, 0, Instant.now());
        writer.merge("dh_ckpt", 6, 0, 0, Instant.now());
        writer.merge("dh_ckpt", 7, 0, 0, Instant.now());
        writer.checkpointAndCleanUp("dh_ckpt", 2);

        assertThat(reader.lastCheckpoint("dh_ckpt")).hasValue(2);
        assertThat(reader.hasVersion("dh_ckpt", 0)).as("covered by the checkpoint").isTrue();
        assertThat(reader.latestVersion("dh_ckpt")).hasValue(3);
        var summary = history.summarize("dh_ckpt", null, 3);
        assertThat(summary.complete()).isFalse();
        assertThat(summary.rowsAdded()).as("versions 2 and 3 only").isEqualTo(13);
        assertThat(summary.notes().get(0)).contains("versions 0-1").contains("checkpoint at version 2");
        assertThat(history.schemaAt("dh_ckpt", 3)).as("metaData only in the cleaned-up version 0").isEmpty();
    }
}

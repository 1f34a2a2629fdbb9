package ch.cern.alice.lakehouse.ingest.staging;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CopyTextEncoderTest {

    private static final List<StagedRow> ROWS = List.of(
            new StagedRow("trace", "1", "CERN", 1_717_000_000_123L, "{\"a\":1}"),
            new StagedRow("metrics", "F|C|N|p|1", "FZK", 0L, "{}"));

    @Test
    void writesOneTabSeparatedLinePerRow() {
        assertThat(new String(CopyTextEncoder.encode(ROWS), StandardCharsets.UTF_8)).isEqualTo(
                "trace\t1\tCERN\t2024-05-29T16:26:40.123Z\t{\"a\":1}\t\\N\t\\N\t\\N\n"
                        + "metrics\tF|C|N|p|1\tFZK\t1970-01-01T00:00:00Z\t{}\t\\N\t\\N\t\\N\n");
    }

    @Test
    void writesTheOrderValueAndKafkaPositionOrNull() {
        byte[] encoded = CopyTextEncoder.encode(List.of(
                new StagedRow("job_info", "CERN|1", "CERN", 1_717_000_000_123L, "{}".getBytes(StandardCharsets.UTF_8),
                        1_717_000_000_456L, 5, 1_234_567_890_123L),
                new StagedRow("job_info", "CERN|2", "CERN", 1_717_000_000_123L, "{}".getBytes(StandardCharsets.UTF_8),
                        null, 0, 0L)));
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(
                "job_info\tCERN|1\tCERN\t2024-05-29T16:26:40.123Z\t{}\t2024-05-29T16:26:40.456Z\t5\t1234567890123\n"
                        + "job_info\tCERN|2\tCERN\t2024-05-29T16:26:40.123Z\t{}\t\\N\t0\t0\n");
    }

    @Test
    void addsThePositionInTheBatchWhenAsked() {
        assertThat(new String(CopyTextEncoder.encodeWithPosition(ROWS), StandardCharsets.UTF_8)).isEqualTo(
                "trace\t1\tCERN\t2024-05-29T16:26:40.123Z\t{\"a\":1}\t\\N\t\\N\t\\N\t0\n"
                        + "metrics\tF|C|N|p|1\tFZK\t1970-01-01T00:00:00Z\t{}\t\\N\t\\N\t\\N\t1\n");
    }

    @Test
    void escapesBackslashesAndLineBreaksSoJsonEscapesSurvive() {
        assertThat(CopyTextEncoder.escaped("{\"jdl\":\"a\\\"b\\nc\"}\tx\ny\rz\\")).isEqualTo(
                "{\"jdl\":\"a\\\\\"b\\\\nc\"}\\tx\\ny\\rz\\\\");
    }

    @Test
    void keepsNonAsciiTextAsUtf8() {
        byte[] encoded = CopyTextEncoder.encode(
                List.of(new StagedRow("trace", "ключ", "Torino", 0L, "{\"h\":\"é\"}")));
        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("ключ").contains("\"é\"");
    }

    @Test
    void escapesNonAsciiKeysAndRawControlBytesOfThePayload() {
        byte[] encoded = CopyTextEncoder.encode(List.of(
                new StagedRow("trace", "ключ\t1", "Torino\\x", 0L, "{\"h\":\n\"é\\\\\"}")));
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(
                "trace\tключ\\t1\tTorino\\\\x\t1970-01-01T00:00:00Z\t{\"h\":\\n\"é\\\\\\\\\"}\t\\N\t\\N\t\\N\n");
    }

    @Test
    void formatsEachRowsOwnTimestamp() {
        byte[] encoded = CopyTextEncoder.encode(List.of(
                new StagedRow("trace", "1", "CERN", 1_717_000_000_123L, "{}"),
                new StagedRow("trace", "2", "CERN", 1_717_000_000_123L, "{}"),
                new StagedRow("trace", "3", "CERN", 1_717_000_001_000L, "{}")));
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(
                "trace\t1\tCERN\t2024-05-29T16:26:40.123Z\t{}\t\\N\t\\N\t\\N\n"
                        + "trace\t2\tCERN\t2024-05-29T16:26:40.123Z\t{}\t\\N\t\\N\t\\N\n"
                        + "trace\t3\tCERN\t2024-05-29T16:26:41Z\t{}\t\\N\t\\N\t\\N\n");
    }
}

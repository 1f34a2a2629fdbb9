package ch.cern.alice.lakehouse.ingest.staging;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * One row for {@code staging.records}.
 *
 * @param dedupKey        the key computed by ingest-service from the envelope's site and the payload
 *                        ({@code DatasetDescriptor.dedupKey})
 * @param payload         the validated, normalized payload as UTF-8 JSON (kept as bytes: the COPY stream takes them
 *                        as they are)
 * @param orderedAtMillis the value of the dataset's order field in epoch ms, null when the dataset has none or the
 *                        record did not send it
 * @param kafkaPartition  where the record was read, null when it did not come from Kafka
 * @param kafkaOffset     where the record was read, null when it did not come from Kafka
 */
public record StagedRow(String dataset, String dedupKey, String site, long receivedAtMillis, byte[] payload,
                        Long orderedAtMillis, Integer kafkaPartition, Long kafkaOffset) {

    /**
     * The update rule: of two records of one key the greater is the newer one. Compares the order field value,
     * then the receive time, then Kafka partition and offset, nulls lowest; staging (StagingWriter's SQL) and the
     * ETL's MERGE compare the same way.
     */
    public static final Comparator<StagedRow> NEWEST_LAST = Comparator
            .comparing(StagedRow::orderedAtMillis, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(StagedRow::receivedAtMillis)
            .thenComparing(StagedRow::kafkaPartition, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(StagedRow::kafkaOffset, Comparator.nullsFirst(Comparator.naturalOrder()));

    public StagedRow(String dataset, String dedupKey, String site, long receivedAtMillis, byte[] payload,
                     Long orderedAtMillis) {
        this(dataset, dedupKey, site, receivedAtMillis, payload, orderedAtMillis, null, null);
    }

    /** A row without order field value nor Kafka position. */
    public StagedRow(String dataset, String dedupKey, String site, long receivedAtMillis, String payloadJson) {
        this(dataset, dedupKey, site, receivedAtMillis, payloadJson.getBytes(StandardCharsets.UTF_8), null, null,
                null);
    }

    /** This row as read from a Kafka partition at an offset. */
    public StagedRow at(int partition, long offset) {
        return new StagedRow(dataset, dedupKey, site, receivedAtMillis, payload, orderedAtMillis, partition, offset);
    }

    public String payloadJson() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}

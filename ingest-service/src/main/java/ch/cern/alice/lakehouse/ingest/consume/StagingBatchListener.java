package ch.cern.alice.lakehouse.ingest.consume;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Accepted;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Decoded;
import ch.cern.alice.lakehouse.ingest.consume.EnvelopeDecoder.Rejected;
import ch.cern.alice.lakehouse.ingest.metrics.IngestMetrics;
import ch.cern.alice.lakehouse.ingest.staging.BatchOutcome;
import ch.cern.alice.lakehouse.ingest.staging.StagedRow;
import ch.cern.alice.lakehouse.ingest.staging.StagingUnavailableException;
import ch.cern.alice.lakehouse.ingest.staging.StagingWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes every dataset topic in batches. Per polled batch: decode, stage the good records in one database
 * transaction, dead-letter the poison ones (committed to ingest.dead_letters, then acknowledged by the DLQ topic:
 * {@link DeadLetterPublisher}), and only then commit the offsets. If staging, the dead-letter store or the DLQ is
 * unavailable, nothing is committed and the batch is re-polled after a growing pause; re-delivered records are
 * harmless because staging keeps the newest record per dedup key and a re-delivery is not newer, and a dead letter
 * is stored once.
 */
@Component
public class StagingBatchListener {

    public static final String LISTENER_ID = "ingest";

    private static final Logger log = LoggerFactory.getLogger(StagingBatchListener.class);

    private final EnvelopeDecoder decoder;
    private final StagingWriter writer;
    private final DeadLetterPublisher deadLetters;
    private final RetryBackoff backoff;
    private final IngestMetrics metrics;
    private final DatasetCatalog catalog;

    public StagingBatchListener(EnvelopeDecoder decoder, StagingWriter writer, DeadLetterPublisher deadLetters,
                                RetryBackoff backoff, IngestMetrics metrics, DatasetCatalog catalog) {
        this.decoder = decoder;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.backoff = backoff;
        this.metrics = metrics;
        this.catalog = catalog;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = "#{@datasetCatalog.topics()}", batch = "true")
    public void onBatch(List<ConsumerRecord<byte[], byte[]>> records, Acknowledgment ack) {
        List<StagedRow> rows = new ArrayList<>(records.size());
        List<ConsumerRecord<byte[], byte[]>> rowSources = new ArrayList<>(records.size());
        List<DeadLetter> poison = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Decoded decoded = decoder.decode(record);
            if (decoded instanceof Accepted accepted) {
                rows.add(accepted.row());
                rowSources.add(record);
            } else if (decoded instanceof Rejected rejected) {
                poison.add(new DeadLetter(record, rejected.reason()));
            }
        }

        long start = System.nanoTime();
        BatchOutcome outcome;
        try {
            outcome = writer.write(rows);
        } catch (StagingUnavailableException e) {
            retryLater(ack, records.size(), e.getMessage());
            return;
        }
        metrics.recordWrite(Duration.ofNanos(System.nanoTime() - start), outcome);
        for (BatchOutcome.RejectedRow refused : outcome.rejected()) {
            poison.add(new DeadLetter(rowSources.get(refused.index()), refused.reason()));
        }

        try {
            deadLetters.publish(poison);
        } catch (DeadLetterException e) {
            retryLater(ack, records.size(), e.getMessage());
            return;
        }
        for (DeadLetter letter : poison) {
            metrics.recordDeadLetter(datasetOf(letter.source().topic()));
            log.warn("Dead-lettered {}-{}@{}: {}", letter.source().topic(), letter.source().partition(),
                    letter.source().offset(), letter.reason());
        }
        ack.acknowledge();
        backoff.succeeded();
    }

    /** Commits nothing: the partitions are re-wound to this batch and polled again after the pause. */
    private void retryLater(Acknowledgment ack, int batchSize, String error) {
        Duration pause = backoff.failed(error);
        metrics.recordBatchFailure();
        log.warn("Batch of {} records NOT committed ({}); failure #{} in a row, re-polling from the last committed "
                + "offsets in {} ms", batchSize, error, backoff.consecutiveFailures(), pause.toMillis());
        ack.nack(0, pause);
    }

    private String datasetOf(String topic) {
        return catalog.byTopic(topic).map(DatasetDescriptor::name).orElse("unknown");
    }
}

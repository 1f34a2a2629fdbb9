package ch.cern.alice.lakehouse.collector.kafka;

import ch.cern.alice.lakehouse.collector.intake.RefusedRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tracks the sends of one batch: counts completions down, keeps the records Kafka refused for their content, and
 * remembers the first failure of any other kind, so the request thread waits once for the whole batch instead of
 * once per record.
 * <p>
 * A record is refused for its content when sending it again can only fail the same way: too large for the
 * producer's {@code max.request.size} or the topic's {@code max.message.bytes} ({@link RecordTooLargeException},
 * {@link RecordBatchTooLargeException}) or invalid for the broker ({@link InvalidRecordException}). Such a record
 * is rejected on its own; everything else (broker down, timeouts, not enough replicas, authorization) fails the
 * batch: 503, send again.
 */
final class BatchAcknowledgement {

    private final AtomicInteger pending;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final ConcurrentLinkedQueue<RefusedRecord> refused = new ConcurrentLinkedQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);

    BatchAcknowledgement(int records) {
        this.pending = new AtomicInteger(records);
        if (records == 0) {
            finished.countDown();
        }
    }

    /** The callback of the send of the record at {@code position} of the batch. */
    Callback forRecord(int position) {
        return (metadata, exception) -> completed(position, exception);
    }

    private void completed(int position, Exception exception) {
        if (exception != null) {
            if (!refusesTheRecordItself(exception)) {
                fail(exception);
                return;
            }
            refused.add(new RefusedRecord(position, describe(exception)));
        }
        if (pending.decrementAndGet() == 0) {
            finished.countDown();
        }
    }

    static boolean refusesTheRecordItself(Exception exception) {
        return exception instanceof RecordTooLargeException
                || exception instanceof RecordBatchTooLargeException
                || exception instanceof InvalidRecordException;
    }

    private static String describe(Exception exception) {
        return exception.getClass().getSimpleName() + ": " + exception.getMessage();
    }

    /** A send failed in a way that is no fault of the record, or could not even be started. */
    void fail(Exception exception) {
        failure.compareAndSet(null, exception);
        finished.countDown();
    }

    boolean hasFailed() {
        return failure.get() != null;
    }

    Exception failure() {
        return failure.get();
    }

    int pending() {
        return Math.max(0, pending.get());
    }

    /** The records refused for their content, in batch order. */
    List<RefusedRecord> refused() {
        List<RefusedRecord> list = new ArrayList<>(refused);
        list.sort(Comparator.comparingInt(RefusedRecord::position));
        return list;
    }

    /** @return true when every record was acknowledged or refused before the deadline, and nothing else failed */
    boolean awaitAll(long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        return finished.await(Math.max(0, remaining), TimeUnit.NANOSECONDS) && !hasFailed();
    }
}

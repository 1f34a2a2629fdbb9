package ch.cern.alice.lakehouse.collector.kafka;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One callback shared by all sends of a batch: counts acknowledgements down and remembers the first failure, so the
 * request thread waits once for the whole batch instead of once per record.
 */
final class BatchAcknowledgement implements Callback {

    private final AtomicInteger pending;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);

    BatchAcknowledgement(int records) {
        this.pending = new AtomicInteger(records);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null) {
            fail(exception);
        } else if (pending.decrementAndGet() == 0) {
            finished.countDown();
        }
    }

    /** A send could not even be started; the records not sent yet will never be acknowledged. */
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

    /** @return true when every record was acknowledged before the deadline */
    boolean awaitAll(long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        return finished.await(Math.max(0, remaining), TimeUnit.NANOSECONDS) && !hasFailed();
    }
}

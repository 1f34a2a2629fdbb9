package ch.cern.alice.lakehouse.collector.intake;

import java.util.concurrent.Semaphore;

/** Caps the requests processed at once; callers that find no free slot are turned away (429), never queued. */
public final class InflightLimiter {

    private final Semaphore slots;
    private final int capacity;

    public InflightLimiter(int capacity) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
    }

    public boolean tryAcquire() {
        return slots.tryAcquire();
    }

    public void release() {
        slots.release();
    }

    public int inflight() {
        return capacity - slots.availablePermits();
    }

    public int capacity() {
        return capacity;
    }
}

package ch.cern.alice.lakehouse.simulator.send;

/**
 * What the collector made of one batch.
 *
 * @param status   final HTTP status (after retries), or -1 when no answer came
 * @param accepted records it accepted
 * @param rejected records it rejected with per-record errors
 * @param error    why the whole batch failed (null when it got an answer with counts)
 * @param retries  how often the batch was re-sent after 429/503
 */
public record PostResult(int status, int accepted, int rejected, String error, int retries, String firstRejection) {

    public boolean failed() {
        return error != null;
    }
}

package ch.cern.alice.lakehouse.collector.api;

/** All request slots are taken: 429 with Retry-After. */
class TooBusyException extends RuntimeException {

    TooBusyException(String message) {
        super(message);
    }
}

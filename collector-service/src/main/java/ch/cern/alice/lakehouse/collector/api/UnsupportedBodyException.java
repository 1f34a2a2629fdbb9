package ch.cern.alice.lakehouse.collector.api;

/** Content-Type or Content-Encoding the collector does not read: 415. */
class UnsupportedBodyException extends RuntimeException {

    UnsupportedBodyException(String message) {
        super(message);
    }
}

package ch.cern.alice.lakehouse.collector.api;

/** The key is valid but its site may not send this dataset: 403. */
class DatasetForbiddenException extends RuntimeException {

    DatasetForbiddenException(String message) {
        super(message);
    }
}

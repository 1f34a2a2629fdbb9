package ch.cern.alice.lakehouse.collector.api;

/** No X-Api-Key header, or a key nobody configured: 401. */
class ApiKeyRejectedException extends RuntimeException {

    ApiKeyRejectedException(String message) {
        super(message);
    }
}

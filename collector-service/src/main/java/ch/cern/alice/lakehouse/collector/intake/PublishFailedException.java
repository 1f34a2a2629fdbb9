package ch.cern.alice.lakehouse.collector.intake;

/** Kafka did not acknowledge every record of a batch (down, slow or refusing): 503, the site sends again. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

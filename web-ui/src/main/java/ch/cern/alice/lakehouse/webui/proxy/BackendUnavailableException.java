package ch.cern.alice.lakehouse.webui.proxy;

import org.springframework.http.HttpStatus;

/** The backend could not be reached or dropped the connection before answering. */
public class BackendUnavailableException extends RuntimeException {

    private final HttpStatus status;

    public BackendUnavailableException(HttpStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}

package ch.cern.alice.lakehouse.query.domain;

public class QueryNotFoundException extends RuntimeException {

    public QueryNotFoundException(String what) {
        super(what + " not found");
    }
}

package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.store.BranchEntity;

import java.time.Instant;

public record Branch(String name, String head, String createdBy, Instant createdAt, Instant updatedAt) {

    static Branch of(BranchEntity row) {
        return new Branch(row.name(), row.head(), row.createdBy(), row.createdAt(), row.updatedAt());
    }
}

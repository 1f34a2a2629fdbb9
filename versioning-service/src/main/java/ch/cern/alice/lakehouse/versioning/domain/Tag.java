package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.store.TagEntity;

import java.time.Instant;

public record Tag(String name, String commitId, String message, String createdBy, Instant createdAt) {

    static Tag of(TagEntity row) {
        return new Tag(row.name(), row.commitId(), row.message(), row.createdBy(), row.createdAt());
    }
}

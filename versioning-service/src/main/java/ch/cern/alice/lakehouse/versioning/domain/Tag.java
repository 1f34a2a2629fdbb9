package ch.cern.alice.lakehouse.versioning.domain;

import java.time.Instant;

public record Tag(String name, String commitId, String message, String createdBy, Instant createdAt) {
}

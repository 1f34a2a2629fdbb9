package ch.cern.alice.lakehouse.versioning.domain;

import java.time.Instant;

public record Branch(String name, String head, String createdBy, Instant createdAt, Instant updatedAt) {
}

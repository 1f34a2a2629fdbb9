package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.support.security.Role;

/** The authenticated user making a request and their highest role. */
public record Caller(String name, Role role) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}

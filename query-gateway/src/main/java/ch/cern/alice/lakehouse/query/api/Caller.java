package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.support.security.Role;
import org.springframework.security.core.Authentication;

/** The authenticated user of a request. */
record Caller(String name, boolean admin) {

    static Caller of(Authentication auth) {
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> Role.ADMIN.authority().equals(a.getAuthority()));
        return new Caller(auth.getName(), admin);
    }
}

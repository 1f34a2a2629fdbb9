package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.support.security.Role;
import ch.cern.alice.lakehouse.versioning.domain.Caller;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The caller's name and highest role from the Spring Security authentication. */
final class Callers {

    private Callers() {
    }

    static Caller of(Authentication authentication) {
        Role highest = Role.VIEWER;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (Role role : Role.values()) {
                if (role.authority().equals(authority.getAuthority()) && role.compareTo(highest) > 0) {
                    highest = role;
                }
            }
        }
        return new Caller(authentication.getName(), highest);
    }
}

package ch.cern.alice.lakehouse.support.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated user of a request: their name, their highest human role ({@link Role#VIEWER} at least, as
 * {@code compareTo} orders them) and every platform role they were granted. Build it with {@link #of(Authentication)}
 * in a controller ({@code Caller.of(authentication)}) and hand it to the feature code, which then needs no Spring
 * Security type.
 */
public record Caller(String name, Role role, Set<Role> roles) {

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    /** A caller granted exactly {@code role} (tests, tools). */
    public Caller(String name, Role role) {
        this(name, role, Set.of(role));
    }

    /** Name and roles from the authentication; a user with no platform role counts as a viewer. */
    public static Caller of(Authentication authentication) {
        Set<Role> granted = EnumSet.noneOf(Role.class);
        Role highest = Role.VIEWER;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (Role candidate : Role.values()) {
                if (candidate.authority().equals(authority.getAuthority())) {
                    granted.add(candidate);
                    if (candidate.compareTo(highest) > 0) {
                        highest = candidate;
                    }
                }
            }
        }
        return new Caller(authentication.getName(), highest, granted);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether one of the granted roles includes {@code wanted} (the role hierarchy of the services). */
    public boolean has(Role wanted) {
        return roles.stream().anyMatch(r -> r.implies(wanted));
    }
}

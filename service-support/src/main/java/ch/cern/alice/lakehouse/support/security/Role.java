package ch.cern.alice.lakehouse.support.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Platform roles. People: ADMIN > RESEARCHER > VIEWER, each including the ones below it. Accounts that are not
 * people: METRICS (scrapes {@code /actuator/prometheus} and the other metrics endpoints, reads nothing else) and
 * SERVICE (one service calling another: what VIEWER may do, plus the service-to-service endpoints that name SERVICE,
 * e.g. etl-service's catalog refresh and auto-commit). ADMIN includes both.
 *
 * <p>The enum order keeps {@code compareTo} meaningful for the human roles: METRICS and SERVICE come before VIEWER,
 * so code comparing with {@code compareTo(RESEARCHER)} never treats them as more than a viewer. Ask
 * {@link #implies(Role)} for what a role includes.
 */
public enum Role {
    METRICS, SERVICE, VIEWER, RESEARCHER, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }

    /** Whether this role includes {@code other} (itself included), as the role hierarchy of the services says. */
    public boolean implies(Role other) {
        return impliedRoles().contains(other);
    }

    /** This role and every role it includes, in enum order. */
    public Set<Role> impliedRoles() {
        return switch (this) {
            case METRICS -> EnumSet.of(METRICS);
            case SERVICE -> EnumSet.of(SERVICE, VIEWER);
            case VIEWER -> EnumSet.of(VIEWER);
            case RESEARCHER -> EnumSet.of(VIEWER, RESEARCHER);
            case ADMIN -> EnumSet.allOf(Role.class);
        };
    }

    /** The roles this one includes directly (one step of the hierarchy). */
    List<Role> directlyImplied() {
        return switch (this) {
            case METRICS, VIEWER -> List.of();
            case SERVICE, RESEARCHER -> List.of(VIEWER);
            case ADMIN -> List.of(RESEARCHER, METRICS, SERVICE);
        };
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text + "' ("
                    + String.join(", ", Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList())
                    + ")");
        }
    }
}

package ch.cern.alice.lakehouse.support.security;

import java.util.Locale;

/** Platform roles, each including the ones below it: ADMIN > RESEARCHER > VIEWER. */
public enum Role {
    VIEWER, RESEARCHER, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text + "' (viewer, researcher or admin)");
        }
    }
}

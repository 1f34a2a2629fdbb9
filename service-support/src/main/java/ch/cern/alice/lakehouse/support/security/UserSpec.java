package ch.cern.alice.lakehouse.support.security;

import java.util.ArrayList;
import java.util.List;

/**
 * One configured user. {@code LAKEHOUSE_USERS} holds them as {@code name:password:role} entries separated by
 * {@code ;} where the password is in Spring's encoded form, e.g. {@code {bcrypt}$2a$10$...} or, for demos only,
 * {@code {noop}secret}.
 */
public record UserSpec(String name, String encodedPassword, Role role) {

    public static List<UserSpec> parseAll(String spec) {
        List<UserSpec> users = new ArrayList<>();
        if (spec == null) {
            return users;
        }
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int first = entry.indexOf(':');
            int last = entry.lastIndexOf(':');
            if (first <= 0 || last == first) {
                throw new IllegalArgumentException(
                        "LAKEHOUSE_USERS entry must be name:password:role, got '" + redact(entry) + "'");
            }
            users.add(new UserSpec(entry.substring(0, first).strip(), entry.substring(first + 1, last),
                    Role.parse(entry.substring(last + 1))));
        }
        return users;
    }

    private static String redact(String entry) {
        int colon = entry.indexOf(':');
        return colon < 0 ? entry : entry.substring(0, colon) + ":***";
    }
}

package ch.cern.alice.lakehouse.scenario.stack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A login of the stack's {@code LAKEHOUSE_USERS}; roles viewer < researcher < admin. */
public record DemoUser(String name, String password, String role) {

    public static final DemoUser ADMIN = new DemoUser("admin", "admin-scenario", "admin");
    public static final DemoUser RESEARCHER = new DemoUser("researcher", "researcher-scenario", "researcher");
    public static final DemoUser VIEWER = new DemoUser("viewer", "viewer-scenario", "viewer");

    static String usersVariable() {
        return String.join(";", ADMIN.entry(), RESEARCHER.entry(), VIEWER.entry());
    }

    /** Value of an HTTP {@code Authorization} header for this user. */
    public String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String entry() {
        return name + ":{noop}" + password + ":" + role;
    }
}

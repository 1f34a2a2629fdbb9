package ch.cern.alice.lakehouse.collector.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Users every test context configures (service-support's {@code LAKEHOUSE_USERS}): the stats and the actuator need a
 * login, the records a site key.
 */
public final class TestUsers {

    public static final String PROPERTY = "lakehouse.security.users="
            + "ada:{noop}ada-pw:admin;rita:{noop}rita-pw:researcher;vic:{noop}vic-pw:viewer;"
            + "svc:{noop}svc-pw:service;mo:{noop}mo-pw:metrics";

    public static final String ADMIN = basic("ada", "ada-pw");
    public static final String RESEARCHER = basic("rita", "rita-pw");
    public static final String VIEWER = basic("vic", "vic-pw");
    public static final String SERVICE = basic("svc", "svc-pw");
    /** A Prometheus scrape account: metrics only. */
    public static final String METRICS = basic("mo", "mo-pw");

    private TestUsers() {
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}

package ch.cern.alice.lakehouse.query.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

/** Points a gateway test context at the shared {@link TestLake}. */
public final class GatewayTestProperties {

    public static final String USERS = "viewer:{noop}v-pw:viewer;researcher:{noop}r-pw:researcher;"
            + "other:{noop}o-pw:researcher;admin:{noop}a-pw:admin";

    private GatewayTestProperties() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The same settings as Spring properties, for a gateway started outside the test context. */
    public static Map<String, String> properties() {
        TestLake lake = TestLake.get();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", lake.postgresJdbcUrl());
        p.put("spring.datasource.username", "postgres");
        p.put("spring.datasource.password", "postgres");
        p.put("lakehouse.trino.url", lake.trinoJdbcUrl());
        p.put("lakehouse.trino.user", lake.trino().gateway().user());
        p.put("lakehouse.trino.password", lake.trino().gateway().password());
        p.put("lakehouse.trino.truststore", lake.trino().truststore().toString());
        p.put("lakehouse.s3.endpoint", lake.s3Endpoint());
        p.put("lakehouse.s3.access-key", TestLake.ACCESS_KEY);
        p.put("lakehouse.s3.secret-key", TestLake.SECRET_KEY);
        p.put("lakehouse.s3.bucket", TestLake.BUCKET);
        p.put("lakehouse.security.users", USERS);
        return p;
    }
}

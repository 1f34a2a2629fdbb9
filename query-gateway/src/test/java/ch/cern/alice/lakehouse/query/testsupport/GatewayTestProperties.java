package ch.cern.alice.lakehouse.query.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a gateway test context at the shared {@link TestLake}. */
public final class GatewayTestProperties {

    public static final String USERS = "viewer:{noop}v-pw:viewer;researcher:{noop}r-pw:researcher;"
            + "other:{noop}o-pw:researcher;admin:{noop}a-pw:admin";

    private GatewayTestProperties() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        TestLake lake = TestLake.get();
        registry.add("spring.datasource.url", lake::postgresJdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
        registry.add("lakehouse.trino.url", lake::trinoJdbcUrl);
        registry.add("lakehouse.s3.endpoint", lake::s3Endpoint);
        registry.add("lakehouse.s3.access-key", () -> TestLake.ACCESS_KEY);
        registry.add("lakehouse.s3.secret-key", () -> TestLake.SECRET_KEY);
        registry.add("lakehouse.s3.bucket", () -> TestLake.BUCKET);
        registry.add("lakehouse.security.users", () -> USERS);
    }
}

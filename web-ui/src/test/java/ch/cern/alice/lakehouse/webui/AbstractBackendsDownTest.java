package ch.cern.alice.lakehouse.webui;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

/**
 * The real web-ui on a random port with the test users and every backend URL pointing at a port nobody listens on.
 * Test classes extending it share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class AbstractBackendsDownTest {

    protected static final int DOWN_PORT = WebUiTestUsers.closedPort();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void backendsDown(DynamicPropertyRegistry registry) {
        registry.add("lakehouse.security.users", () -> WebUiTestUsers.USERS);
        for (String backend : List.of("query", "versioning", "etl", "collector", "ingest")) {
            registry.add("lakehouse.webui." + backend + "-url", () -> "http://127.0.0.1:" + DOWN_PORT);
        }
    }
}

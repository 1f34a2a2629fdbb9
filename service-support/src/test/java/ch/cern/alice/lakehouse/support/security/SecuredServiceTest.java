package ch.cern.alice.lakehouse.support.security;

import ch.cern.alice.lakehouse.support.security.app.SecuredExampleService;
import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One running {@link SecuredExampleService} on a random port of 127.0.0.1 shared by the HTTP tests of this package,
 * with short login waits (2 s doubling up to 8 s) and room for only 16 user names and 16 addresses. Loopback is a
 * trusted proxy (the default), so a test picks its client address with {@code X-Forwarded-For}; tests that do not
 * must never fail a login from 127.0.0.1 itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = SecuredExampleService.class,
        properties = {
                "server.address=127.0.0.1",
                "lakehouse.security.users=ada:{noop}ada-pw:researcher;bob:{noop}bob-pw:researcher;"
                        + "cyd:{noop}cyd-pw:researcher;dan:{noop}dan-pw:researcher;eve:{noop}eve-pw:researcher;"
                        + "rita:{noop}rita-pw:researcher;"
                        + "vic:{noop}vic-pw:viewer;root:{noop}root-pw:admin;scraper:{noop}scrape-pw:metrics;"
                        + "etl:{noop}etl-pw:service",
                "lakehouse.security.login-throttle.initial-delay=2s",
                "lakehouse.security.login-throttle.max-delay=8s",
                "lakehouse.security.login-throttle.window=1m",
                "lakehouse.security.login-throttle.max-entries=16",
                "management.endpoints.web.exposure.include=health,info,prometheus,metrics",
                "management.endpoint.health.probes.enabled=true"})
@interface SecuredServiceTest {
}

package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();

    private LoginThrottle throttle(int maxEntries) {
        return new LoginThrottle(new LakehouseSecurityProperties.LoginThrottle(5, 5, Duration.ofMinutes(15),
                Duration.ofSeconds(30), Duration.ofMinutes(15), maxEntries), clock);
    }

    @Test
    void fiveFailuresStartAWaitThatDoublesWithEachFurtherFailureUpToTheCap() {
        LoginThrottle t = throttle(100);
        for (int i = 1; i <= 4; i++) {
            assertThat(t.failed("ada", "198.51.100.1").waitStarted()).isZero();
            assertThat(t.waitFor("ada", "198.51.100.1")).isZero();
        }
        assertThat(t.failed("ada", "198.51.100.1").waitStarted()).isEqualTo(Duration.ofSeconds(30));

        long[] expected = {60, 120, 240, 480, 900, 900};
        for (long seconds : expected) {
            clock.advance(t.waitFor("ada", null));
            assertThat(t.waitFor("ada", null)).isZero();
            assertThat(t.failed("ada", "198.51.100.1").waitStarted()).isEqualTo(Duration.ofSeconds(seconds));
        }
    }

    @Test
    void failuresFurtherApartThanTheWindowNeverAddUp() {
        LoginThrottle t = throttle(100);
        for (int i = 0; i < 20; i++) {
            assertThat(t.failed("ada", "198.51.100.1").waitStarted()).isZero();
            clock.advance(Duration.ofMinutes(16));
        }
    }

    @Test
    void aQuietWindowAfterTheLastWaitForgivesEverything() {
        LoginThrottle t = throttle(100);
        for (int i = 0; i < 5; i++) {
            t.failed("ada", "198.51.100.1");
        }
        clock.advance(Duration.ofSeconds(30).plus(Duration.ofMinutes(15)).plusSeconds(1));

        assertThat(t.failed("ada", "198.51.100.1").waitStarted()).isZero();
        assertThat(t.failed("ada", "198.51.100.1").userFailures()).isEqualTo(2);
    }

    @Test
    void aSuccessClearsTheUserNameButNotTheAddress() {
        LoginThrottle t = throttle(100);
        for (int i = 0; i < 5; i++) {
            t.failed("user-" + i, "198.51.100.1");
            t.failed("ada", "198.51.100.2");
        }
        clock.advance(Duration.ofSeconds(31));
        t.succeeded("user-1");
        t.succeeded("ADA");

        assertThat(t.failed("ada", "198.51.100.9").userFailures()).as("cleared (names compare case-insensitively)")
                .isEqualTo(1);
        assertThat(t.failed("user-1", "198.51.100.1").waitStarted()).as("the address still counts")
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() {
        LoginThrottle t = throttle(100);
        for (int i = 1; i <= 5; i++) {
            t.failed("user-" + i, "2001:db8:1:2::" + Integer.toHexString(i));
        }
        assertThat(t.waitFor("someone", "2001:db8:1:2:ffff::1")).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.waitFor("someone", "2001:db8:1:3::1")).isZero();
        assertThat(LoginThrottle.addressKey("198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void sprayingKeepsBothMapsBoundedAndNeverFreesAWaitingKeyWhileOthersCanGo() {
        LoginThrottle t = throttle(16);
        for (int i = 0; i < 5; i++) {
            t.failed("victim", "192.0.2." + i);
        }
        for (int i = 0; i < 100_000; i++) {
            t.failed("spray-" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }

        assertThat(t.userEntries()).isLessThanOrEqualTo(16);
        assertThat(t.addressEntries()).isLessThanOrEqualTo(16);
        assertThat(t.waitFor("victim", null)).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(31));
        assertThat(t.failed("victim", "192.0.2.200").waitStarted()).as("still remembered after its wait: doubled")
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void longUserNamesAreKeptAsAHash() {
        String key = LoginThrottle.userKey("x".repeat(10_000));
        assertThat(key).startsWith("sha256:").hasSize(7 + 64);
        assertThat(LoginThrottle.userKey("Ada")).isEqualTo("ada");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

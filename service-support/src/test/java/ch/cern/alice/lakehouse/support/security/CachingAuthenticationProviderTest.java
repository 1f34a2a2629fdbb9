package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingAuthenticationProviderTest {

    private final AtomicInteger delegateCalls = new AtomicInteger();
    private final AuthenticationProvider countingDelegate = new AuthenticationProvider() {
        @Override
        public Authentication authenticate(Authentication request) {
            delegateCalls.incrementAndGet();
            if (!"right".equals(request.getCredentials())) {
                throw new BadCredentialsException("bad credentials");
            }
            return UsernamePasswordAuthenticationToken.authenticated(request.getName(), null,
                    User.withUsername("x").password("p").roles("ADMIN").build().getAuthorities());
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return true;
        }
    };

    private static Authentication login(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }

    @Test
    void aRepeatedCorrectLoginIsAnsweredFromTheCache() {
        var provider = new CachingAuthenticationProvider(countingDelegate, Duration.ofMinutes(1), Clock.systemUTC());

        Authentication first = provider.authenticate(login("alice", "right"));
        Authentication second = provider.authenticate(login("alice", "right"));

        assertThat(delegateCalls).hasValue(1);
        assertThat(second.isAuthenticated()).isTrue();
        assertThat(second.getName()).isEqualTo(first.getName());
        assertThat(second.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
        assertThat(second.getCredentials()).isNull();
    }

    @Test
    void aWrongPasswordIsAlwaysCheckedAndNeverCached() {
        var provider = new CachingAuthenticationProvider(countingDelegate, Duration.ofMinutes(1), Clock.systemUTC());
        provider.authenticate(login("alice", "right"));

        assertThatThrownBy(() -> provider.authenticate(login("alice", "wrong")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> provider.authenticate(login("alice", "wrong")))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(delegateCalls).hasValue(3);
    }

    @Test
    void entriesExpireAfterTheirTimeToLive() {
        MutableClock clock = new MutableClock();
        var provider = new CachingAuthenticationProvider(countingDelegate, Duration.ofSeconds(60), clock);
        provider.authenticate(login("alice", "right"));

        clock.advance(Duration.ofSeconds(61));
        provider.authenticate(login("alice", "right"));

        assertThat(delegateCalls).hasValue(2);
    }

    @Test
    void demoPasswordsAreNotRewrittenToBcryptOnLogin() {
        var store = new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}pw").roles("VIEWER").build());
        var provider = new LakehouseSecurityAutoConfiguration().lakehouseAuthenticationProvider(store,
                PasswordEncoderFactories.createDelegatingPasswordEncoder());

        assertThat(provider.authenticate(login("alice", "pw")).isAuthenticated()).isTrue();

        assertThat(store.loadUserByUsername("alice").getPassword()).isEqualTo("{noop}pw");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
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
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

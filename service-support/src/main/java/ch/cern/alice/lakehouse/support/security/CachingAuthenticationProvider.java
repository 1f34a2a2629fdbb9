package ch.cern.alice.lakehouse.support.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers successful username/password checks for a short time. The services are stateless (HTTP Basic on every
 * call), and a bcrypt check costs ~80 ms of CPU, so without this every API call would pay it. Only an HMAC of the
 * password under a per-process random key is held, never the password; failures are never cached, so a changed or
 * wrong password is checked by the delegate every time.
 */
public final class CachingAuthenticationProvider implements AuthenticationProvider {

    private static final int MAX_ENTRIES = 10_000;

    private final AuthenticationProvider delegate;
    private final Duration ttl;
    private final Clock clock;
    private final SecretKeySpec hmacKey;
    private final Map<String, Entry> verified = new ConcurrentHashMap<>();

    private record Entry(String passwordMac, Authentication authentication, long expiresAtMillis) {
    }

    public CachingAuthenticationProvider(AuthenticationProvider delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.hmacKey = new SecretKeySpec(key, "HmacSHA256");
    }

    @Override
    public Authentication authenticate(Authentication request) throws AuthenticationException {
        if (!(request.getCredentials() instanceof String password) || request.getName() == null) {
            return delegate.authenticate(request);
        }
        String mac = mac(password);
        long now = clock.millis();
        Entry cached = verified.get(request.getName());
        if (cached != null && cached.expiresAtMillis() > now && cached.passwordMac().equals(mac)) {
            return copyOf(cached.authentication());
        }
        Authentication result = delegate.authenticate(request);
        if (result != null && result.isAuthenticated()) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(request.getName(), new Entry(mac, copyOf(result), now + ttl.toMillis()));
        }
        return result;
    }

    private static Authentication copyOf(Authentication authenticated) {
        UsernamePasswordAuthenticationToken copy = UsernamePasswordAuthenticationToken.authenticated(
                authenticated.getPrincipal(), null, authenticated.getAuthorities());
        copy.setDetails(authenticated.getDetails());
        return copy;
    }

    private String mac(String password) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(hmacKey);
            return Base64.getEncoder().encodeToString(hmac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}

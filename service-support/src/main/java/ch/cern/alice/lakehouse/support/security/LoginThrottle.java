package ch.cern.alice.lakehouse.support.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per user name and per client address, and the wait they impose.
 *
 * <p>Per key (a user name, or an address): after {@code maxFailures} failures each less than {@code window} apart
 * the key waits {@code initialDelay}; from then on every further failure starts a wait twice as long as the one
 * before (capped at {@code maxDelay}), until the key has been quiet for {@code window} after its last wait. A
 * successful login clears its user name. It does not clear its address: otherwise one valid account would let an
 * attacker reset the address between rounds of guesses at other users' passwords; an address is forgiven by being
 * quiet. Callers check {@link #waitFor} <em>before</em> checking a password, so a throttled guess learns nothing.
 *
 * <p>Memory is bounded: each map holds at most {@code maxEntries} keys (plus the few being added at that moment).
 * When full, keys whose failures no longer count are dropped first, then the least harmful one (never a key that is
 * waiting while one that is not could go), so spraying made-up user names or addresses cannot free a real user's
 * name of its wait. User names are compared as the user store does (case-insensitively); names longer than 64
 * characters are kept as their SHA-256. IPv6 clients are counted per /64, the block one subscriber usually holds.
 */
public final class LoginThrottle {

    /** What a failed login changed: the counts it reached and the wait it started (zero if none). */
    public record Failure(int userFailures, int addressFailures, Duration waitStarted) {
    }

    private final Counters users;
    private final Counters addresses;
    private final Clock clock;

    public LoginThrottle(LakehouseSecurityProperties.LoginThrottle settings, Clock clock) {
        this.clock = clock;
        this.users = new Counters(settings.maxFailures(), settings, clock);
        this.addresses = new Counters(settings.maxFailuresPerAddress(), settings, clock);
    }

    /** How long this user name or this address must still wait before its next login; zero when it need not. */
    public Duration waitFor(String user, String address) {
        long now = clock.millis();
        long until = Math.max(user == null ? 0 : users.lockedUntil(userKey(user)),
                address == null ? 0 : addresses.lockedUntil(addressKey(address)));
        return until > now ? Duration.ofMillis(until - now) : Duration.ZERO;
    }

    public Failure failed(String user, String address) {
        long now = clock.millis();
        long userWait = 0;
        int userCount = 0;
        if (user != null) {
            long[] r = users.fail(userKey(user), now);
            userCount = (int) r[0];
            userWait = r[1];
        }
        long addressWait = 0;
        int addressCount = 0;
        if (address != null) {
            long[] r = addresses.fail(addressKey(address), now);
            addressCount = (int) r[0];
            addressWait = r[1];
        }
        return new Failure(userCount, addressCount, Duration.ofMillis(Math.max(userWait, addressWait)));
    }

    public void succeeded(String user) {
        if (user != null) {
            users.clear(userKey(user));
        }
    }

    int userEntries() {
        return users.size();
    }

    int addressEntries() {
        return addresses.size();
    }

    static String userKey(String user) {
        String lower = user.toLowerCase(Locale.ROOT);
        if (lower.length() <= 64) {
            return lower;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(lower.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String addressKey(String address) {
        InetAddress a = ClientAddressResolver.literal(address);
        if (a instanceof Inet6Address && !a.isLoopbackAddress()) {
            byte[] b = a.getAddress();
            return String.format("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2], b[3], b[4], b[5], b[6],
                    b[7]);
        }
        return a == null ? address : a.getHostAddress();
    }

    /** One map of keys to their recent failures. */
    private static final class Counters {

        private final int maxFailures;
        private final long window;
        private final long initialDelay;
        private final long maxDelay;
        private final int maxEntries;
        private final Clock clock;
        private final Map<String, Entry> entries = new ConcurrentHashMap<>();
        private final Object eviction = new Object();

        Counters(int maxFailures, LakehouseSecurityProperties.LoginThrottle settings, Clock clock) {
            this.maxFailures = maxFailures;
            this.window = settings.window().toMillis();
            this.initialDelay = settings.initialDelay().toMillis();
            this.maxDelay = settings.maxDelay().toMillis();
            this.maxEntries = settings.maxEntries();
            this.clock = clock;
        }

        long lockedUntil(String key) {
            Entry e = entries.get(key);
            if (e == null) {
                return 0;
            }
            synchronized (e) {
                return e.lockedUntil;
            }
        }

        /** @return {failures counted, wait started in ms (0 if none)} */
        long[] fail(String key, long now) {
            Entry e = entries.computeIfAbsent(key, k -> new Entry(maxFailures));
            long[] result;
            synchronized (e) {
                if (e.count > 0 && e.forgotten(now, window)) {
                    e.reset();
                }
                e.record(now);
                long wait = 0;
                if (e.lockouts > 0 || (e.full() && now - e.oldest() <= window)) {
                    e.lockouts++;
                    wait = delay(e.lockouts);
                    e.lockedUntil = now + wait;
                }
                result = new long[] {e.count, wait};
            }
            if (entries.size() > maxEntries) {
                evict(now);
            }
            return result;
        }

        void clear(String key) {
            entries.remove(key);
        }

        int size() {
            return entries.size();
        }

        private long delay(int lockouts) {
            int doublings = Math.min(lockouts - 1, 40);
            long d = initialDelay << doublings;
            return d <= 0 || d > maxDelay ? maxDelay : d;
        }

        /** Drops every key whose failures no longer count; if there is none, the least harmful key. */
        private void evict(long now) {
            synchronized (eviction) {
                if (entries.size() <= maxEntries) {
                    return;
                }
                String victim = null;
                long victimRank = Long.MAX_VALUE;
                boolean dropped = false;
                for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Entry> candidate = it.next();
                    Entry e = candidate.getValue();
                    long rank;
                    synchronized (e) {
                        if (e.count == 0) {
                            continue; // being added by another thread right now
                        }
                        if (e.forgotten(now, window)) {
                            it.remove();
                            dropped = true;
                            continue;
                        }
                        rank = e.rank(now);
                    }
                    if (rank < victimRank) {
                        victimRank = rank;
                        victim = candidate.getKey();
                    }
                }
                if (!dropped && victim != null) {
                    entries.remove(victim);
                }
            }
        }
    }

    private static final class Entry {
        /** Times of the last failures, a ring of maxFailures slots. */
        private final long[] recent;
        private int next;
        private int count;
        private int lockouts;
        private long lockedUntil;
        private long lastFailure;

        Entry(int slots) {
            recent = new long[slots];
        }

        void record(long now) {
            recent[next] = now;
            next = (next + 1) % recent.length;
            count++;
            lastFailure = now;
        }

        boolean full() {
            return count >= recent.length;
        }

        /** The oldest of the last maxFailures failures (when full). */
        long oldest() {
            return recent[next];
        }

        void reset() {
            next = 0;
            count = 0;
            lockouts = 0;
            lockedUntil = 0;
        }

        /** No wait now and none can follow from what it holds: the same as no entry. */
        boolean forgotten(long now, long window) {
            return lockedUntil <= now && (lockouts > 0 ? now - lockedUntil > window : now - lastFailure > window);
        }

        /**
         * Lower = dropped first: keys that never waited (oldest failure first), then keys between waits, then keys
         * waiting (the one whose wait ends first).
         */
        long rank(long now) {
            if (lockedUntil > now) {
                return (2L << 60) + Math.min(lockedUntil, (1L << 60) - 1);
            }
            if (lockouts > 0) {
                return (1L << 60) + Math.min(lastFailure, (1L << 60) - 1);
            }
            return Math.min(lastFailure, (1L << 60) - 1);
        }
    }
}

package ch.cern.alice.lakehouse.versioning.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Content hash of a commit (SHA-256 of parents, tables, author, message, time and properties). */
public final class CommitIds {

    /** Length of a full commit id: SHA-256 in lower-case hex. */
    public static final int LENGTH = 64;
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{4,64}");
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

    private CommitIds() {
    }

    /** Postgres keeps microseconds: hash and store the same instant. */
    public static Instant commitTime(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    public static String hash(List<String> parents, SortedMap<String, Long> tables, String author, String message,
                              Instant time, Map<String, Object> properties) {
        StringBuilder text = new StringBuilder();
        text.append("parents ").append(String.join(",", parents)).append('\n');
        tables.forEach((table, version) -> text.append("table ").append(table).append('=').append(version).append('\n'));
        text.append("author ").append(author).append('\n');
        text.append("time ").append(commitTime(time)).append('\n');
        new TreeMap<>(properties).forEach((k, v) -> text.append("property ").append(k).append('=').append(v).append('\n'));
        text.append('\n').append(message);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** 4 to 64 lower-case hex characters: what ref resolution reads as a (possibly abbreviated) commit id. */
    public static boolean looksLikeIdPrefix(String text) {
        return HEX_PREFIX.matcher(text).matches();
    }

    /** Exactly 64 lower-case hex characters. */
    public static boolean isFullId(String text) {
        return text != null && FULL_ID.matcher(text).matches();
    }
}

package ch.cern.alice.lakehouse.ingest.staging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes rows in PostgreSQL's COPY text format: tab-separated columns, one line per row. Backslash, tab, newline
 * and carriage return inside values are escaped with a backslash; everything else goes through unchanged (UTF-8).
 * Writes bytes straight into one buffer per batch: the payload is already UTF-8, and the escaped characters are
 * ASCII, which never occurs inside a multi-byte UTF-8 sequence.
 */
final class CopyTextEncoder {

    private static final int ROW_SIZE_GUESS = 640;

    private byte[] buffer;
    private int size;

    private CopyTextEncoder(int capacity) {
        buffer = new byte[capacity];
    }

    /** Columns: dataset, dedup_key, site, received_at, payload, ordered_at, kafka_partition, kafka_offset. */
    static byte[] encode(List<StagedRow> rows) {
        return encode(rows, false);
    }

    /** The columns of {@link #encode} and ord (position in the batch). */
    static byte[] encodeWithPosition(List<StagedRow> rows) {
        return encode(rows, true);
    }

    private static byte[] encode(List<StagedRow> rows, boolean withPosition) {
        CopyTextEncoder out = new CopyTextEncoder(rows.size() * ROW_SIZE_GUESS + 64);
        // the rows of one collector request share their receivedAt: format each instant once
        long formattedMillis = Long.MIN_VALUE;
        byte[] formattedInstant = null;
        for (int i = 0; i < rows.size(); i++) {
            StagedRow row = rows.get(i);
            out.appendEscaped(row.dataset()).append('\t');
            out.appendEscaped(row.dedupKey()).append('\t');
            out.appendEscaped(row.site()).append('\t');
            if (formattedInstant == null || row.receivedAtMillis() != formattedMillis) {
                formattedMillis = row.receivedAtMillis();
                formattedInstant = Instant.ofEpochMilli(formattedMillis).toString()
                        .getBytes(StandardCharsets.US_ASCII);
            }
            out.appendRaw(formattedInstant).append('\t');
            out.appendEscaped(row.payload()).append('\t');
            if (row.orderedAtMillis() == null) {
                out.appendNull();
            } else {
                out.appendRaw(Instant.ofEpochMilli(row.orderedAtMillis()).toString()
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.append('\t');
            out.appendNumber(row.kafkaPartition()).append('\t');
            out.appendNumber(row.kafkaOffset());
            if (withPosition) {
                out.append('\t').appendRaw(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            }
            out.append('\n');
        }
        return Arrays.copyOf(out.buffer, out.size);
    }

    private CopyTextEncoder appendEscaped(String value) {
        int length = value.length();
        ensureRoom(2 * length);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // rare (keys and site names are ASCII in practice): escape the UTF-8 bytes from here on
                return appendEscaped(value.substring(i).getBytes(StandardCharsets.UTF_8));
            }
            putEscaped((byte) c);
        }
        return this;
    }

    /** Copies the runs between escaped bytes in one go: a payload rarely holds any. */
    CopyTextEncoder appendEscaped(byte[] utf8) {
        ensureRoom(2 * utf8.length);
        int runStart = 0;
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '\\' || b == '\t' || b == '\n' || b == '\r') {
                System.arraycopy(utf8, runStart, buffer, size, i - runStart);
                size += i - runStart;
                putEscaped(b);
                runStart = i + 1;
            }
        }
        System.arraycopy(utf8, runStart, buffer, size, utf8.length - runStart);
        size += utf8.length - runStart;
        return this;
    }

    private void putEscaped(byte b) {
        switch (b) {
            case '\\' -> put2('\\', '\\');
            case '\t' -> put2('\\', 't');
            case '\n' -> put2('\\', 'n');
            case '\r' -> put2('\\', 'r');
            default -> buffer[size++] = b;
        }
    }

    private void put2(char first, char second) {
        buffer[size++] = (byte) first;
        buffer[size++] = (byte) second;
    }

    private CopyTextEncoder appendRaw(byte[] bytes) {
        ensureRoom(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** COPY text's NULL. */
    private CopyTextEncoder appendNull() {
        return append('\\').append('N');
    }

    private CopyTextEncoder appendNumber(Number value) {
        return value == null ? appendNull() : appendRaw(value.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private CopyTextEncoder append(char asciiChar) {
        ensureRoom(1);
        buffer[size++] = (byte) asciiChar;
        return this;
    }

    private void ensureRoom(int bytes) {
        if (size + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
        }
    }

    /** Escaped form of a value, for tests. */
    static String escaped(String value) {
        CopyTextEncoder out = new CopyTextEncoder(16);
        out.appendEscaped(value);
        return new String(out.buffer, 0, out.size, StandardCharsets.UTF_8);
    }
}

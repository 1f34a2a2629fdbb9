package ch.cern.alice.lakehouse.ingest.staging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Encodes rows in PostgreSQL's COPY text format: tab-separated columns, one line per row. Backslash, tab, newline
 * and carriage return inside values are escaped with a backslash; everything else goes through unchanged (UTF-8).
 */
final class CopyTextEncoder {

    private CopyTextEncoder() {
    }

    /** Columns: dataset, dedup_key, site, received_at, payload. */
    static byte[] encode(List<StagedRow> rows) {
        return encode(rows, false);
    }

    /** Columns: dataset, dedup_key, site, received_at, payload, ord (position in the batch). */
    static byte[] encodeWithPosition(List<StagedRow> rows) {
        return encode(rows, true);
    }

    private static byte[] encode(List<StagedRow> rows, boolean withPosition) {
        StringBuilder text = new StringBuilder(rows.size() * 640);
        for (int i = 0; i < rows.size(); i++) {
            StagedRow row = rows.get(i);
            appendEscaped(text, row.dataset()).append('\t');
            appendEscaped(text, row.dedupKey()).append('\t');
            appendEscaped(text, row.site()).append('\t');
            text.append(Instant.ofEpochMilli(row.receivedAtMillis())).append('\t');
            appendEscaped(text, row.payloadJson());
            if (withPosition) {
                text.append('\t').append(i);
            }
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static StringBuilder appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }
}

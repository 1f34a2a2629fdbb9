package ch.cern.alice.lakehouse.common.record;

import java.util.List;

/**
 * The identity of a record in staging and in Delta: the sending site plus the dataset's key values.
 * <p>
 * Parts are joined by {@code |}; a {@code |} or {@code \} inside a part is escaped with {@code \}, so
 * ("a|b", "c") and ("a", "b|c") give different keys. The site comes first: a key of another site can never
 * name, replace or drop this site's record.
 */
public final class DedupKey {

    public static final char SEPARATOR = '|';
    public static final char ESCAPE = '\\';

    private DedupKey() {
    }

    public static String of(String site, List<?> keyValues) {
        StringBuilder sb = new StringBuilder(16 + keyValues.size() * 12);
        appendEscaped(sb, site);
        for (Object value : keyValues) {
            sb.append(SEPARATOR);
            appendEscaped(sb, String.valueOf(value));
        }
        return sb.toString();
    }

    /** The same escaping as a SQL expression over a text expression (used by the staging migration). */
    public static String escapeSql(String textExpression) {
        return "replace(replace(" + textExpression + ", '\\', '\\\\'), '|', '\\|')";
    }

    static void appendEscaped(StringBuilder sb, String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == SEPARATOR || c == ESCAPE) {
                sb.append(ESCAPE);
            }
            sb.append(c);
        }
    }
}

package ch.cern.alice.lakehouse.common.jdl;

import ch.cern.alice.lakehouse.common.dataset.FieldSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parser for AliEn job description language (JDL) text: {@code Attribute = value;} statements where a value is a
 * quoted string, a bare word or number, or a {@code { "a", "b" }} list. Comments ({@code #}, {@code //}) are
 * skipped. Attribute names are case-insensitive in AliEn, so they are returned lower-cased.
 * The parser is lenient: malformed statements are skipped, never fatal, because the raw text is kept anyway.
 */
public final class JdlParser {

    private JdlParser() {
    }

    /** Attribute (lower case) -> values (a single value for scalars). */
    public static Map<String, List<String>> parse(String jdl) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (jdl == null) {
            return result;
        }
        String text = stripComments(jdl);
        int i = 0;
        int n = text.length();
        while (i < n) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = text.substring(i, eq).strip();
            int end = findStatementEnd(text, eq + 1);
            String value = text.substring(eq + 1, end).strip();
            if (name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                result.put(name.toLowerCase(Locale.ROOT), parseValue(value));
            }
            i = end + 1;
        }
        return result;
    }

    /** First value of an attribute, or null. */
    public static String first(Map<String, List<String>> parsed, String attribute) {
        List<String> values = parsed.get(attribute.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The value of a derived column described by {@code derived=jdl:Attr} or {@code derived=jdl-mb:Attr}, coerced to
     * the field's type; null when the JDL lacks the attribute or its value does not fit the type.
     */
    public static Object derive(FieldSpec field, Map<String, List<String>> parsed) {
        String from = field.derivedFrom();
        int colon = from.indexOf(':');
        String kind = from.substring(0, colon);
        String raw = first(parsed, from.substring(colon + 1));
        if (raw == null) {
            return null;
        }
        try {
            return switch (kind) {
                case "jdl" -> field.type().coerce(raw);
                case "jdl-mb" -> sizeInMegabytes(raw);
                default -> throw new IllegalArgumentException("unknown derivation " + from);
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** "8GB", "2000MB", "4096" (MB), "1.5 GB", "512kB" -> megabytes; null if not a size. */
    public static Long sizeInMegabytes(String size) {
        String s = size.strip().toUpperCase(Locale.ROOT).replace(" ", "");
        double factor = 1;
        String number = s;
        if (s.endsWith("GB") || s.endsWith("G")) {
            factor = 1024;
            number = s.substring(0, s.length() - (s.endsWith("GB") ? 2 : 1));
        } else if (s.endsWith("MB") || s.endsWith("M")) {
            number = s.substring(0, s.length() - (s.endsWith("MB") ? 2 : 1));
        } else if (s.endsWith("KB") || s.endsWith("K")) {
            factor = 1.0 / 1024;
            number = s.substring(0, s.length() - (s.endsWith("KB") ? 2 : 1));
        }
        try {
            return Math.round(Double.parseDouble(number) * factor);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int findStatementEnd(String text, int from) {
        boolean inQuotes = false;
        int depth = 0;
        for (int j = from; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '"') {
                inQuotes = !inQuotes;
            } else if (!inQuotes && c == '{') {
                depth++;
            } else if (!inQuotes && c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (!inQuotes && depth == 0 && c == ';') {
                return j;
            }
        }
        return text.length();
    }

    private static List<String> parseValue(String value) {
        if (value.startsWith("{")) {
            String inner = value.substring(1, value.endsWith("}") ? value.length() - 1 : value.length());
            List<String> items = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean inQuotes = false;
            for (char c : inner.toCharArray()) {
                if (c == '"') {
                    inQuotes = !inQuotes;
                } else if (c == ',' && !inQuotes) {
                    addItem(items, current);
                } else {
                    current.append(c);
                }
            }
            addItem(items, current);
            return items;
        }
        return List.of(unquote(value));
    }

    private static void addItem(List<String> items, StringBuilder current) {
        String item = current.toString().strip();
        if (!item.isEmpty()) {
            items.add(item);
        }
        current.setLength(0);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static String stripComments(String jdl) {
        StringBuilder sb = new StringBuilder(jdl.length());
        for (String line : jdl.split("\\R")) {
            String trimmed = line.stripLeading();
            if (trimmed.startsWith("#") || trimmed.startsWith("//")) {
                continue;
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}

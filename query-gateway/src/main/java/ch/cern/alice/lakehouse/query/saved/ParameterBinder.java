package ch.cern.alice.lakehouse.query.saved;

import ch.cern.alice.lakehouse.query.sql.InvalidQueryException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Replaces {@code :name} and {@code {{name}}} placeholders by typed SQL literals. The SQL is scanned token-wise:
 * placeholders inside string literals, quoted identifiers and comments are left alone, and {@code ::} casts are
 * not placeholders. Values never reach the SQL unquoted: each goes through its {@link ParameterType}.
 */
public final class ParameterBinder {

    private ParameterBinder() {
    }

    public static String bind(String sql, List<ParameterDefinition> definitions, Map<String, ?> values) {
        Map<String, ParameterDefinition> byName = definitions.stream()
                .collect(Collectors.toMap(ParameterDefinition::name, Function.identity()));
        for (String given : values.keySet()) {
            if (!byName.containsKey(given)) {
                throw new InvalidQueryException("unknown parameter '" + given + "'; defined: " + byName.keySet());
            }
        }
        return substitute(sql, name -> {
            ParameterDefinition def = byName.get(name);
            if (def == null) {
                throw new InvalidQueryException("placeholder '" + name + "' has no parameter definition");
            }
            Object value = values.get(name);
            String text = value == null ? def.defaultValue() : String.valueOf(value);
            if (text == null) {
                throw new InvalidQueryException("parameter '" + name + "' is required");
            }
            try {
                return def.type().literal(text);
            } catch (InvalidQueryException e) {
                throw new InvalidQueryException("parameter '" + name + "': " + e.getMessage());
            }
        });
    }

    /** Names of the placeholders used in {@code sql}, in order of first use. */
    public static Set<String> placeholders(String sql) {
        Set<String> names = new LinkedHashSet<>();
        substitute(sql, name -> {
            names.add(name);
            return "NULL";
        });
        return names;
    }

    private static String substitute(String sql, Function<String, String> literalFor) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closingQuote(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '{' && sql.startsWith("{{", i)) {
                int end = sql.indexOf("}}", i + 2);
                if (end < 0) {
                    throw new InvalidQueryException("unclosed {{ placeholder at offset " + i);
                }
                out.append(literalFor.apply(sql.substring(i + 2, end).strip()));
                i = end + 2;
            } else if (c == ':' && i + 1 < n && isIdentifierStart(sql.charAt(i + 1))
                    && (i == 0 || sql.charAt(i - 1) != ':')) {
                int end = i + 1;
                while (end < n && isIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                out.append(literalFor.apply(sql.substring(i + 1, end)));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Index after the closing quote; a doubled quote is an escaped quote. */
    private static int closingQuote(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new InvalidQueryException("unclosed quote starting at offset " + start);
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}

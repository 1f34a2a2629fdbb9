package ch.cern.alice.lakehouse.versioning.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of branch, tag and table names. */
public final class Names {

    public static final String MAIN = "main";
    private static final Pattern REF_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** {@code table} (a dataset) or {@code schema.table} (e.g. {@code branch_mybranch.my_table}). */
    private static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_]{0,127}\\.)?[a-z_][a-z0-9_]{0,127}");

    private Names() {
    }

    /**
     * A name for a new branch or tag: 1-100 letters, digits, '.', '_' or '-', and never something ref resolution
     * could read as a commit id: {@link CommitIds#looksLikeIdPrefix} accepts 4-64 hex characters in either case, so
     * such names are refused and no branch or tag can shadow a commit or an abbreviated commit id. The built-in refs
     * {@code ts:<instant>} (here and in the query gateway) and {@code v:<n>} (query gateway) contain a ':', which a
     * name never does.
     */
    public static String requireRefName(String kind, String name) {
        if (name != null && name.indexOf(':') >= 0) {
            throw new BadRequestException(kind + " name must not contain ':' - 'v:<n>' and 'ts:<ISO instant>' are "
                    + "built-in refs, got '" + shown(name) + "'");
        }
        if (name == null || !REF_NAME.matcher(name).matches() || name.endsWith(".") || name.contains("..")) {
            throw new BadRequestException(kind + " name must be 1-100 characters of letters, digits, '.', '_' or '-' "
                    + "starting with a letter or digit, got '" + shown(name) + "'");
        }
        if (looksLikeCommitId(name)) {
            throw new BadRequestException(kind + " name '" + name + "' looks like a commit id: names of 4 to 64 hex "
                    + "characters (0-9, a-f) would shadow commit ids in refs; add another character, e.g. '"
                    + name + "-1'");
        }
        return name;
    }

    /** Whether a name (of a branch or tag made before the rule) could be read as a commit id. */
    public static boolean looksLikeCommitId(String name) {
        return CommitIds.looksLikeIdPrefix(name.toLowerCase(Locale.ROOT));
    }

    /** Client input as quoted in an error message: cut after 100 characters. */
    public static String shown(String input) {
        return input == null || input.length() <= 100 ? input : input.substring(0, 100) + "...";
    }

    public static String requireTableName(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new BadRequestException("table name must be 'table' or 'schema.table' in lower case "
                    + "(letters, digits, '_'), got '" + table + "'");
        }
        return table;
    }
}

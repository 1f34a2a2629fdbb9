package ch.cern.alice.lakehouse.versioning.domain;

import java.util.regex.Pattern;

/** Validation of branch, tag and table names. */
public final class Names {

    public static final String MAIN = "main";
    private static final Pattern REF_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** {@code table} (a dataset) or {@code schema.table} (e.g. {@code branch_mybranch.my_table}). */
    private static final Pattern TABLE = Pattern.compile("([a-z_][a-z0-9_]{0,127}\\.)?[a-z_][a-z0-9_]{0,127}");

    private Names() {
    }

    public static String requireRefName(String kind, String name) {
        if (name == null || !REF_NAME.matcher(name).matches() || name.endsWith(".") || name.contains("..")) {
            throw new BadRequestException(kind + " name must be 1-100 characters of letters, digits, '.', '_' or '-' "
                    + "starting with a letter or digit, got '" + name + "'");
        }
        return name;
    }

    public static String requireTableName(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new BadRequestException("table name must be 'table' or 'schema.table' in lower case "
                    + "(letters, digits, '_'), got '" + table + "'");
        }
        return table;
    }
}

package ch.cern.alice.lakehouse.localstack.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services' database roles, schemas and grants of deploy/postgres/roles.sql (packaged in this jar as
 * {@value #RESOURCE}), applied over JDBC the way deploy/postgres/init-roles.sh applies them with psql: each role's
 * password as the session setting {@code lakehouse.<name>_password}, then the script. docs/security.md.
 */
public final class DatabaseRoles {

    public static final String RESOURCE = "/lakehouse-db/roles.sql";
    /** The names in lakehouse_&lt;name&gt; and LAKEHOUSE_DB_&lt;NAME&gt;_PASSWORD, in the script's order. */
    public static final List<String> NAMES = List.of("staging", "ingest", "etl", "query", "versioning");

    private DatabaseRoles() {
    }

    /** The role a name stands for: {@code ingest} -> {@code lakehouse_ingest}. */
    public static String role(String name) {
        return "lakehouse_" + name;
    }

    /** The variable holding the role's password: {@code ingest} -> {@code LAKEHOUSE_DB_INGEST_PASSWORD}. */
    public static String passwordVariable(String name) {
        return "LAKEHOUSE_DB_" + name.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD";
    }

    /** The passwords that are set (non-empty) in an environment, by name. */
    public static Map<String, String> passwordsFrom(Map<String, String> env) {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = env.get(passwordVariable(name));
            if (value != null && !value.isEmpty()) {
                passwords.put(name, value);
            }
        }
        return passwords;
    }

    /** The script as packaged. */
    public static String script() throws IOException {
        try (InputStream in = DatabaseRoles.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (local-stack packages "
                        + "deploy/postgres/roles.sql)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs the script on a superuser's connection to the lakehouse database, with the given passwords (name ->
     * password; a name left out keeps its role's password). The settings are reset afterwards.
     */
    public static void apply(Connection superuser, String script, Map<String, String> passwords) throws SQLException {
        try {
            for (Map.Entry<String, String> p : passwords.entrySet()) {
                if (!NAMES.contains(p.getKey())) {
                    throw new IllegalArgumentException("no database role named " + p.getKey() + " (" + NAMES + ")");
                }
                try (PreparedStatement set = superuser.prepareStatement("SELECT set_config(?, ?, false)")) {
                    set.setString(1, "lakehouse." + p.getKey() + "_password");
                    set.setString(2, p.getValue());
                    set.execute();
                }
            }
            try (Statement st = superuser.createStatement()) {
                st.execute(script);
            }
        } finally {
            try (Statement st = superuser.createStatement()) {
                for (String name : NAMES) {
                    st.execute("RESET lakehouse." + name + "_password");
                }
            }
        }
    }
}

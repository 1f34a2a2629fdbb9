package ch.cern.alice.lakehouse.localstack;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options, each falling back to an environment variable and then a default. */
public final class LauncherArgs {

    private final Map<String, String> options = new HashMap<>();

    public LauncherArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                options.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                options.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
    }

    public String get(String name, String envVar, String defaultValue) {
        String v = options.get(name);
        if (v == null && envVar != null) {
            v = System.getenv(envVar);
        }
        return v == null || v.isBlank() ? defaultValue : v;
    }

    public int getInt(String name, String envVar, int defaultValue) {
        String v = get(name, envVar, null);
        try {
            return v == null ? defaultValue : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }
}

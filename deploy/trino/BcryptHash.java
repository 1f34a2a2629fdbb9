import at.favre.lib.crypto.bcrypt.BCrypt;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Trino's password file from "user TAB password" lines on stdin: prints "user:bcrypt-hash" lines (cost 10), hashed
 * with the bcrypt library Trino's file authenticator verifies with. Passwords come through stdin, never as arguments
 * (visible to other processes). deploy/trino/trino-server.sh runs it with Trino's own JDK (source-file mode):
 *   java -cp '<trino>/plugin/password-authenticators/*' BcryptHash.java < users.tsv > password.db
 */
public class BcryptHash {

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0 || tab == line.length() - 1) {
                throw new IllegalArgumentException("expected 'user<TAB>password' lines");
            }
            String user = line.substring(0, tab);
            char[] password = line.substring(tab + 1).toCharArray();
            out.append(user).append(':').append(BCrypt.withDefaults().hashToString(10, password)).append('\n');
        }
        System.out.print(out);
    }
}

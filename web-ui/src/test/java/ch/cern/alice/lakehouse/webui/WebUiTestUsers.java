package ch.cern.alice.lakehouse.webui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Users and addresses shared by the web-ui tests. */
public final class WebUiTestUsers {

    public static final String USERS =
            "alice:{noop}alice-pw:admin;rita:{noop}rita-pw:researcher;vic:{noop}vic-pw:viewer";

    private WebUiTestUsers() {
    }

    /** A port nobody listens on: the socket was bound to a free port and closed again. */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

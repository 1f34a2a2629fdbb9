package ch.cern.alice.lakehouse.webui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Users and addresses shared by the web-ui tests. */
public final class WebUiTestUsers {

    public static final String USERS =
            "alice:{noop}alice-pw:admin;rita:{noop}rita-pw:researcher;vic:{noop}vic-pw:viewer";

    private WebUiTestUsers() {
    }

    /**
     * Bound but never listening: connections to it are refused, and as long as the test JVM lives no server (the
     * web-ui under test on its random port included) can be given the same port. A port that was merely closed again
     * could be handed to the web-ui itself, which then proxied to itself.
     */
    private static final List<Socket> HELD = new ArrayList<>();

    /** A port nobody listens on, reserved for the rest of the test JVM. */
    public static synchronized int closedPort() {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            HELD.add(socket);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

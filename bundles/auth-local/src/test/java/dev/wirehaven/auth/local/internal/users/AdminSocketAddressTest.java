package dev.wirehaven.auth.local.internal.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AdminSocketAddressTest {

    @Test
    void aShortDataDirectoryKeepsTheSocketInItsRunDirectory() {
        Path data = Path.of("/opt/wirehaven/data");
        assertEquals(Path.of("/opt/wirehaven/data/run/admin.sock"), AdminSocketAddress.socketIn(data));
    }

    @Test
    void aDataDirectoryTooDeepForSunPathGetsAShortSocketPathThatServerAndCommandLineAgreeOn() {
        Path deep = Path.of("/srv/" + "very-long-installation-directory-name/".repeat(4) + "data");
        Path socket = AdminSocketAddress.socketIn(deep);

        assertTrue(
                socket.toString().getBytes(StandardCharsets.UTF_8).length <= AdminSocketAddress.MAX_SOCKET_PATH_BYTES,
                socket.toString());
        assertEquals(
                socket, AdminSocketAddress.socketIn(Path.of(deep.toString())), "the same directory, the same socket");
        assertNotEquals(
                socket,
                AdminSocketAddress.socketIn(deep.resolveSibling("data2")),
                "another installation, another socket");
    }
}

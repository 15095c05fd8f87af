package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.sessions.spi.InterfaceProperties;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningInterfaceTest {

    @TempDir
    Path tmp;

    private InterfaceSettings settings(String name, int port) {
        return InterfaceSettings.from(Map.of("service.pid", "test", "name", name, "listenPort", port), tmp);
    }

    @Test
    void theDeviceRunsWithTheConfiguredKeyAndPortAndWgCanReadIt() throws IOException {
        MemoryHost host = new MemoryHost(tmp.resolve("run"));
        Key key = Keys.generatePrivate();

        try (RunningInterface running = RunningInterface.start(settings("wg0", 51820), key, host)) {
            DeviceSnapshot snapshot = running.device().snapshot();
            assertEquals(key, snapshot.privateKey());
            assertEquals(51820, snapshot.listenPort());
            assertEquals("wg0", running.device().name());

            String reply = uapiGet(tmp.resolve("run/wg0.sock"));
            assertTrue(reply.contains("private_key=" + key.toHex() + "\n"), "wg show derives the public key from it");
            assertTrue(reply.contains("listen_port=51820\n"), reply.replace(key.toHex(), "<key>"));
            assertTrue(reply.endsWith("errno=0\n\n"), reply.replace(key.toHex(), "<key>"));
            assertTrue(Files.exists(tmp.resolve("run/wg0.stats")));
        }
    }

    @Test
    void closingRemovesTheSocketsAndTheInterface() throws IOException {
        MemoryHost host = new MemoryHost(tmp.resolve("run"));
        RunningInterface running = RunningInterface.start(settings("wg0", 51820), Keys.generatePrivate(), host);

        running.close();

        assertFalse(Files.exists(tmp.resolve("run/wg0.sock")));
        assertFalse(Files.exists(tmp.resolve("run/wg0.stats")));
        assertTrue(host.created().get(0).isClosed(), "closing the TUN device removes the interface");
    }

    @Test
    void aPortInUseFailsTheStartWithTheKeyToChangeAndLeavesNothingBehind() throws IOException {
        MemoryHost host = new MemoryHost(tmp.resolve("run"));
        try (RunningInterface first = RunningInterface.start(settings("wg0", 51820), Keys.generatePrivate(), host)) {

            IOException e = assertThrows(
                    IOException.class,
                    () -> RunningInterface.start(settings("wg1", 51820), Keys.generatePrivate(), host));

            assertTrue(
                    e.getMessage().contains("UDP port 51820 is already in use; set listenPort to a free port"),
                    e.getMessage());
            assertTrue(host.created().get(1).isClosed(), "the second interface is gone again");
            assertFalse(Files.exists(tmp.resolve("run/wg1.sock")));
            assertEquals(51820, first.device().snapshot().listenPort(), "the first interface is untouched");
        }
    }

    @Test
    void aNameThatAnotherProcessServesIsRefusedBeforeAnInterfaceIsCreated() throws IOException {
        MemoryHost host = new MemoryHost(tmp.resolve("run"));
        try (RunningInterface first = RunningInterface.start(settings("wg0", 51820), Keys.generatePrivate(), host)) {

            IOException e = assertThrows(
                    IOException.class,
                    () -> RunningInterface.start(settings("wg0", 51821), Keys.generatePrivate(), host));

            assertTrue(e.getMessage().contains("already served"), e.getMessage());
            assertEquals(1, host.created().size());
            assertTrue(Files.exists(tmp.resolve("run/wg0.sock")), "the serving interface keeps its socket");
        }
    }

    @Test
    void theServicePropertiesLetTheSessionLayerFindTheInterfaceAndTellClientsItsKey() {
        InterfaceSettings s = InterfaceSettings.from(
                Map.of(
                        "service.pid",
                        "test",
                        "name",
                        "wg3",
                        "listenPort",
                        "51823",
                        "addresses",
                        "10.8.0.1/24,fd00:8::1/64"),
                tmp);
        String publicKey = Keys.publicFrom(Keys.generatePrivate()).toBase64();

        Map<String, Object> props = WireGuardInterface.serviceProperties(s, publicKey);

        assertEquals("wg3", props.get(InterfaceProperties.INTERFACE));
        assertEquals(51823, props.get(InterfaceProperties.LISTEN_PORT));
        assertEquals(publicKey, props.get(InterfaceProperties.PUBLIC_KEY));
        assertEquals(
                List.of("10.8.0.1/24", "fd00:8::1/64"), List.of((String[]) props.get(InterfaceProperties.ADDRESSES)));
    }

    /** What {@code wg show} asks: {@code get=1}, read until the server closes. */
    private static String uapiGet(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap("get=1\n\n".getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    break;
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
        }
    }
}

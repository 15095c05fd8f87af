package dev.wirehaven.wireguard.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UapiServerTest {

    @TempDir
    Path dir;

    private final RecordingDevice device = new RecordingDevice("wgt0");
    private final List<UapiServer> servers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        servers.add(UapiServer.start(device, dir, ServerLog.SILENT));
    }

    @AfterEach
    void stop() {
        servers.forEach(UapiServer::close);
    }

    /** Sends {@code request} and reads until the reply's closing blank line. */
    static String exchange(SocketChannel channel, String request) throws IOException {
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        StringBuilder reply = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (!(reply.toString().endsWith("\n\n") && reply.toString().contains("errno="))) {
            buf.clear();
            if (channel.read(buf) < 0) {
                break;
            }
            reply.append(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
        }
        return reply.toString();
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("wgt0.sock")));
    }

    @Test
    void setThenGetOnOneConnection() throws Exception {
        try (SocketChannel c = connect()) {
            assertEquals(
                    "errno=0\n\n",
                    exchange(
                            c,
                            "set=1\nprivate_key=" + "11".repeat(32) + "\nlisten_port=51820\n" + "public_key="
                                    + "22".repeat(32) + "\nallowed_ip=10.0.0.2/32\n\n"));
            String get = exchange(c, "get=1\n\n");
            assertTrue(get.startsWith("private_key=" + "11".repeat(32) + "\nlisten_port=51820\npublic_key="), get);
            assertTrue(get.endsWith("allowed_ip=10.0.0.2/32\nerrno=0\n\n"), get);
        }
    }

    @Test
    void anErrorKeepsTheConnectionUsable() throws Exception {
        try (SocketChannel c = connect()) {
            assertEquals("errno=-22\n\n", exchange(c, "set=1\nnonsense=1\nlisten_port=9\n\n"));
            assertEquals("errno=-71\n\n", exchange(c, "set=1\nno equals sign\n\n"));
            assertEquals("errno=0\n\n", exchange(c, "set=1\nlisten_port=9\n\n"));
            assertEquals("listen_port=9\nerrno=0\n\n", exchange(c, "get=1\n\n"));
        }
    }

    @Test
    void anUnknownOperationClosesTheConnection() throws Exception {
        try (SocketChannel c = connect()) {
            c.write(ByteBuffer.wrap("hello=1\n\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(-1, c.read(ByteBuffer.allocate(16)));
        }
    }

    @Test
    void anOverlongLineIsRefusedWithoutApplyingTheRequest() throws Exception {
        try (SocketChannel c = connect()) {
            String reply = exchange(c, "set=1\nlisten_port=5\nallowed_ip=" + "1".repeat(LineChannel.MAX_LINE) + "\n\n");
            assertEquals("errno=-22\n\n", reply);
        }
        assertTrue(device.operations.isEmpty());
    }

    @Test
    void theSocketIsOwnerOnlyAndGoesAwayOnClose() throws Exception {
        Path socket = dir.resolve("wgt0.sock");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("wgt0.stats"))));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "no staging directory left behind");
        }
        servers.get(0).close();
        assertFalse(Files.exists(socket));
        assertFalse(Files.exists(dir.resolve("wgt0.stats")));
    }

    @Test
    void aSecondServerForALiveInterfaceIsRefused() {
        IOException e = assertThrows(IOException.class, () -> UapiServer.start(device, dir, ServerLog.SILENT));
        assertTrue(e.getMessage().contains("already serves"), e.getMessage());
        assertTrue(servers.get(0).socketPresent(), "the first server keeps its socket");
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        RecordingDevice other = new RecordingDevice("wgt1");
        Path stale = dir.resolve("wgt1.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "a closed Java server leaves its socket file, like a killed process");
        servers.add(UapiServer.start(other, dir, ServerLog.SILENT));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(stale))) {
            assertEquals("errno=0\n\n", exchange(c, "get=1\n\n"));
        }
    }

    @Test
    void aRegularFileAtTheSocketPathIsLeftAlone() throws Exception {
        Files.writeString(dir.resolve("wgt2.sock"), "not a socket");
        IOException e = assertThrows(
                IOException.class, () -> UapiServer.start(new RecordingDevice("wgt2"), dir, ServerLog.SILENT));
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("not a socket", Files.readString(dir.resolve("wgt2.sock")));
    }

    @Test
    void deletingTheSocketIsNoticed() throws Exception {
        assertTrue(servers.get(0).socketPresent());
        Files.delete(dir.resolve("wgt0.sock"));
        assertFalse(servers.get(0).socketPresent());
    }

    @Test
    void theStatsSocketWritesTheDropCounters() throws Exception {
        device.drops.put(DropReason.BAD_MAC1, 42L);
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("wgt0.stats")))) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (c.read(buf) >= 0) {
                // read to end of stream
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            assertTrue(text.contains("drop_bad_mac1=42\n"), text);
            assertTrue(text.contains("drop_total=42\n"), text);
        }
    }

    @Test
    void concurrentClientsAllGetAnswers() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> replies = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            int port = 1000 + i;
            threads.add(new Thread(() -> {
                try (SocketChannel c = connect()) {
                    replies.add(exchange(c, "set=1\npublic_key=" + String.format("%064x", port) + "\n\n"));
                } catch (IOException e) {
                    replies.add(e.toString());
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(8, replies.size());
        replies.forEach(r -> assertEquals("errno=0\n\n", r));
        for (int i = 0; i < 8; i++) {
            assertTrue(device.peerState(Key.fromHex(String.format("%064x", 1000 + i))) != null);
        }
    }
}

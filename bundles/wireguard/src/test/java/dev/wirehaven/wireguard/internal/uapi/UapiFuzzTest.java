package dev.wirehaven.wireguard.internal.uapi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * Arbitrary text as the body of a UAPI {@code set=1} request, through the connection's real reader
 * ({@link UapiConnection}: line reading, its length bound, parsing, the configuration transaction) on a
 * real device over the in-memory network. Per input: the answer is exactly one {@code errno=N} status
 * with an errno the protocol uses ({@code EIO}, the device failing unexpectedly, is a finding); a
 * failed set leaves the configuration as {@code get} showed it before; {@code get} still answers in
 * key=value lines afterwards. After a set that succeeded the device is reset to a base configuration of
 * two peers, so that inputs do not depend on each other (a failed set has, by the property, changed nothing).
 *
 * <p>Seeds: {@code src/test/resources/dev/wirehaven/wireguard/internal/uapi/UapiFuzzTestInputs/}, the
 * requests that {@code wg set} and {@code wg setconf} send, and a few bad ones.
 */
class UapiFuzzTest {

    private static final Key PRIVATE = Key.fromHex("a8".repeat(Key.LENGTH));
    private static final Key PEER_1 = Key.fromHex("11".repeat(Key.LENGTH));
    private static final Key PEER_2 = Key.fromHex("22".repeat(Key.LENGTH));
    private static final Key PSK = Key.fromHex("33".repeat(Key.LENGTH));
    private static final Pattern STATUS = Pattern.compile("errno=(-?\\d+)\n\n");
    private static final Pattern GET_LINE = Pattern.compile("[a-z_]+=[^\n]*");
    /** The errnos a set may answer: success, and the failures UapiSet documents. */
    private static final Set<Integer> SET_ERRNOS =
            Set.of(0, -UapiException.EINVAL, -UapiException.EPROTO, -UapiException.EADDRINUSE);

    private static MemoryNetwork network;
    private static WireGuardDevice device;
    private static InetAddress peerHost;
    /** What get answers for the device's configuration now; null after a set that succeeded. */
    private static String current;

    @AfterAll
    static void closeDevice() {
        if (device != null) {
            device.close();
            device = null;
            current = null;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void aSetAnswersOneErrnoAndAFailedSetChangesNothing(byte[] body) throws Exception {
        if (device == null) {
            network = new MemoryNetwork();
            peerHost = network.newAddressV4();
            device = WireGuard.createDevice(
                    "uapifuzz",
                    new MemoryTun("uapifuzz", 1420),
                    network.factoryAt(network.newAddressV4()),
                    DeviceOptions.defaults().withCryptoWorkers(1));
        }
        // only a successful set changes the configuration (the property below), so only then reset
        if (current == null) {
            reset();
            current = get();
        }
        String before = current;

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes("set=1\n".getBytes(StandardCharsets.US_ASCII));
        // the request ends at its first blank line; what follows would be the next request
        request.write(body, 0, firstBlankLine(body));
        request.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        String reply = serve(request.toByteArray());

        Matcher status = STATUS.matcher(reply);
        if (!status.matches()) {
            throw new AssertionError("a set must be answered by exactly one errno line, got " + quote(reply));
        }
        int errno = Integer.parseInt(status.group(1));
        if (!SET_ERRNOS.contains(errno)) {
            throw new AssertionError("unexpected errno " + errno + " for a set");
        }
        String after = get();
        if (errno != 0 && !after.equals(before)) {
            throw new AssertionError("a set that failed with errno " + errno + " changed the configuration:\n" + before
                    + "\n---\n" + after);
        }
        current = errno == 0 ? null : after;
    }

    /** The configuration that every input starts from: two peers, one with a preshared key and an endpoint. */
    private static void reset() throws ConfigException {
        device.configure(tx -> {
            tx.privateKey(PRIVATE);
            tx.listenPort(51820);
            tx.fwmark(0);
            tx.replacePeers();
            var p1 = tx.peer(PEER_1, false);
            p1.presharedKey(PSK);
            p1.endpoint(new InetSocketAddress(peerHost, 51820));
            p1.addAllowedIp(Cidr.parse("10.0.0.2/32"));
            p1.addAllowedIp(Cidr.parse("fd00::2/128"));
            tx.peer(PEER_2, false).addAllowedIp(Cidr.parse("10.1.0.0/16"));
        });
    }

    /** {@code get=1} on a fresh connection: its key=value lines, checked to be well-formed. */
    private static String get() throws IOException {
        String reply = serve("get=1\n\n".getBytes(StandardCharsets.US_ASCII));
        if (!reply.endsWith("errno=0\n\n")) {
            throw new AssertionError("get did not answer errno=0: " + quote(reply));
        }
        String body = reply.substring(0, reply.length() - "errno=0\n\n".length());
        for (String line : body.split("\n", -1)) {
            if (!line.isEmpty() && !GET_LINE.matcher(line).matches()) {
                throw new AssertionError("get answered a line that is not key=value: " + quote(line));
            }
        }
        return body;
    }

    /** Serves one connection whose client sends {@code input} and then closes; returns what it was sent. */
    private static String serve(byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.wrap(input);
        ByteChannel channel = new ByteChannel() {
            @Override
            public int read(ByteBuffer dst) {
                if (!in.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(dst.remaining(), in.remaining());
                ByteBuffer slice = in.slice();
                slice.limit(n);
                dst.put(slice);
                in.position(in.position() + n);
                return n;
            }

            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                byte[] b = new byte[n];
                src.get(b);
                out.writeBytes(b);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
        new UapiConnection(device, ServerLog.SILENT).serve(channel);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Where the first empty line of {@code body} starts (the request's end), or its length. */
    private static int firstBlankLine(byte[] body) {
        if (body.length > 0 && body[0] == '\n') {
            return 0;
        }
        for (int i = 1; i < body.length; i++) {
            if (body[i] == '\n' && body[i - 1] == '\n') {
                return i - 1;
            }
        }
        return body.length;
    }

    private static String quote(String s) {
        return IpText.quote(s.length() > 300 ? s.substring(0, 300) + "..." : s);
    }
}

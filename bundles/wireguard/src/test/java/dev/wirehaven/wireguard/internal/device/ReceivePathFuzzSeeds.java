package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.testing.Packets;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed inputs of {@link ReceivePathFuzzTest} from a real exchange between the two devices of
 * {@link FuzzedPeers} (fixed static keys, so the captured handshake messages stay valid for B in later
 * runs). Not part of the build; run it when the input format or the fixture changes:
 *
 * <pre>
 * ./mvnw -B -o test -pl bundles/wireguard -Dtest=ReceivePathFuzzSeeds \
 *   -Dwirehaven.fuzz.seeds=$PWD/bundles/wireguard/src/test/resources/dev/wirehaven/wireguard/internal/device/ReceivePathFuzzTestInputs/everyHostileDatagramIsAcceptedOrCountedAndTheDeviceKeepsForwarding
 * </pre>
 */
class ReceivePathFuzzSeeds {

    private static final int SOURCE_A = 0;
    private static final int SOURCE_V4 = 1;
    private static final int SOURCE_V6 = 2;
    private static final int SEALED = ReceivePathFuzzTest.SEALED;

    /** The last datagram of each message type that each device sent ("A1" ... "B4"). */
    private final Map<String, byte[]> last = new ConcurrentHashMap<>();

    @Test
    @EnabledIfSystemProperty(named = "wirehaven.fuzz.seeds", matches = ".+")
    void writesSeedsFromARealExchange() throws Exception {
        Path dir = Path.of(System.getProperty("wirehaven.fuzz.seeds"));
        Files.createDirectories(dir);
        Map<String, byte[]> seeds = new TreeMap<>();
        try (FuzzedPeers f = new FuzzedPeers()) {
            f.capture((who, d) -> {
                if (d.length > 0) {
                    last.put(who + d[0], d);
                }
            });
            // A initiates, B responds, A confirms with a keepalive; then a real packet A -> B
            f.handshake();
            byte[] initiation = captured("A", Protocol.MESSAGE_INITIATION);
            byte[] transport = captured("A", Protocol.MESSAGE_TRANSPORT);
            // B initiates: A's response is a valid response message (for B's handshake of that moment)
            f.clock.advance(Duration.ofSeconds(6));
            f.b.peer(FuzzedPeers.PUBLIC_A).sendHandshakeInitiation(false);
            byte[] response = awaitCaptured("A", Protocol.MESSAGE_RESPONSE);
            // A under load answers B's next initiation with a cookie reply
            f.a.forceUnderLoad(true);
            f.clock.advance(Duration.ofSeconds(6));
            f.b.peer(FuzzedPeers.PUBLIC_A).sendHandshakeInitiation(false);
            byte[] cookieReply = awaitCaptured("A", Protocol.MESSAGE_COOKIE_REPLY);

            byte[] udp4 = Packets.ipv4("10.0.0.1", "10.0.0.2", 40, 1);
            byte[] udp6 = Packets.ipv6("fd00::1", "fd00::2", 40, 2);
            byte[] tcp22 = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 3);
            tcp22[9] = 6;
            tcp22[22] = 0;
            tcp22[23] = 22;
            byte[] telnet = tcp22.clone();
            telnet[23] = 23;
            byte[] icmpEcho = Packets.ipv4("10.0.0.1", "10.0.0.2", 16, 4);
            icmpEcho[9] = 1;
            icmpEcho[20] = 8;
            icmpEcho[21] = 0;
            byte[] spoofed = Packets.ipv4("10.0.0.99", "10.0.0.2", 20, 5);

            seeds.put("initiation", input(0, frame(SOURCE_A, initiation)));
            seeds.put("initiation-under-load", input(1, frame(SOURCE_A, initiation)));
            seeds.put("initiation-from-ipv6-stranger", input(0, frame(SOURCE_V6, initiation)));
            seeds.put("initiation-truncated", input(0, frame(SOURCE_A, Arrays.copyOf(initiation, 100))));
            seeds.put("response", input(0, frame(SOURCE_A, response)));
            seeds.put("cookie-reply", input(0, frame(SOURCE_A, cookieReply)));
            seeds.put("transport-captured", input(0, frame(SOURCE_A, transport)));
            seeds.put("sealed-udp4", input(0, frame(SOURCE_A | SEALED, udp4)));
            seeds.put("sealed-udp6", input(0, frame(SOURCE_A | SEALED, udp6)));
            seeds.put("sealed-keepalive", input(0, frame(SOURCE_A | SEALED, new byte[0])));
            seeds.put("sealed-tcp-allowed-and-denied", input(0, frame(SEALED, tcp22), frame(SEALED, telnet)));
            seeds.put("sealed-icmp-echo", input(0, frame(SEALED, icmpEcho)));
            seeds.put("sealed-spoofed-inner-source", input(0, frame(SEALED, spoofed)));
            seeds.put(
                    "sealed-then-replayed",
                    input(0, frame(SEALED, udp4), frame(SEALED | ReceivePathFuzzTest.OLD_COUNTER, udp4)));
            seeds.put("sealed-from-roaming-stranger", input(0, frame(SOURCE_V4 | SEALED, udp4)));
            seeds.put("sealed-not-ip", input(0, frame(SEALED, new byte[] {0x10, 1, 2, 3, 4, 5, 6, 7})));
            byte[] unknownType = new byte[48];
            unknownType[0] = 5;
            byte[] oversized = Arrays.copyOf(transport, 3000);
            seeds.put("unknown-type", input(0, frame(SOURCE_A, unknownType)));
            seeds.put("oversized-transport", input(0, frame(SOURCE_A, oversized)));
            seeds.put("short-datagrams", input(0, frame(SOURCE_A, new byte[0]), frame(SOURCE_A, new byte[] {4, 0, 0})));
            seeds.put(
                    "mixed-sequence",
                    input(
                            0,
                            frame(SOURCE_A, initiation),
                            frame(SEALED, udp4),
                            frame(SOURCE_V4, cookieReply),
                            frame(SEALED, new byte[0]),
                            frame(SOURCE_A, response),
                            frame(SEALED, udp6)));
        }
        for (Map.Entry<String, byte[]> s : seeds.entrySet()) {
            Files.write(dir.resolve(s.getKey()), s.getValue());
        }
    }

    private byte[] captured(String who, int type) {
        byte[] d = last.get(who + type);
        assertNotNull(d, who + " sent no message of type " + type);
        return d;
    }

    private byte[] awaitCaptured(String who, int type) throws InterruptedException {
        for (int i = 0; i < 2000 && !last.containsKey(who + type); i++) {
            Thread.sleep(5); // the devices' own threads answer; nothing here runs on the controlled clock
        }
        return captured(who, type);
    }

    private static byte[] frame(int header, byte[] body) {
        byte[] f = new byte[3 + body.length];
        f[0] = (byte) header;
        f[1] = (byte) (body.length >>> 8);
        f[2] = (byte) body.length;
        System.arraycopy(body, 0, f, 3, body.length);
        return f;
    }

    private static byte[] input(int flags, byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(flags);
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }
}

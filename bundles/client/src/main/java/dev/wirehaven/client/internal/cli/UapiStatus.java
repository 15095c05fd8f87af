package dev.wirehaven.client.internal.cli;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a running device's live counters through its userspace API socket ({@code get=1}, the
 * cross-platform interface that {@code wg show} uses): the connect process serves it, so
 * {@code status} needs no socket of its own and shows the same numbers as {@code wg show}.
 */
final class UapiStatus {

    /** Longest answer read; a client device has one peer, so a few hundred bytes. */
    private static final int MAX_ANSWER = 64 * 1024;

    /** One peer of the answer. */
    record Peer(String publicKeyHex, String endpoint, long lastHandshakeSeconds, long rxBytes, long txBytes) {}

    private UapiStatus() {}

    static List<Peer> read(Path socket) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("get=1\n\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(MAX_ANSWER);
            while (buf.hasRemaining() && channel.read(buf) >= 0) {
                String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
                if (text.endsWith("\n\n")) {
                    break;
                }
            }
            return parse(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
        }
    }

    static List<Peer> parse(String answer) throws IOException {
        List<Peer> peers = new ArrayList<>();
        String key = null;
        String endpoint = null;
        long handshake = 0;
        long rx = 0;
        long tx = 0;
        for (String line : answer.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            switch (k) {
                case "public_key" -> {
                    if (key != null) {
                        peers.add(new Peer(key, endpoint, handshake, rx, tx));
                    }
                    key = v;
                    endpoint = null;
                    handshake = 0;
                    rx = 0;
                    tx = 0;
                }
                case "endpoint" -> endpoint = v;
                case "last_handshake_time_sec" -> handshake = number(v);
                case "rx_bytes" -> rx = number(v);
                case "tx_bytes" -> tx = number(v);
                case "errno" -> {
                    if (!v.equals("0")) {
                        throw new IOException("the device answered errno=" + v);
                    }
                }
                default -> {
                    // other keys (private_key, listen_port, allowed_ip, ...) are not shown
                }
            }
        }
        if (key != null) {
            peers.add(new Peer(key, endpoint, handshake, rx, tx));
        }
        return peers;
    }

    private static long number(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

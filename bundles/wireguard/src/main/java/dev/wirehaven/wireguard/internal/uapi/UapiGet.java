package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerSnapshot;

/**
 * The body of a {@code get=1} reply: the device's configuration and counters as {@code key=value}
 * lines, in the order and with the omissions of wireguard-go, so that {@code wg show},
 * {@code wg showconf} and {@code wg syncconf} read it as they read wireguard-go.
 *
 * <p>The body carries the private key: the socket is root-only (0600), as with every WireGuard
 * implementation. The status line {@code errno=0} and the blank line are the caller's.
 */
final class UapiGet {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final String ZERO_KEY_HEX = "0".repeat(2 * Key.LENGTH);

    private UapiGet() {}

    static String format(DeviceSnapshot device) {
        StringBuilder out = new StringBuilder(256 + 512 * device.peers().size());
        if (device.privateKey() != null && !device.privateKey().isZero()) {
            line(out, "private_key", device.privateKey().toHex());
        }
        if (device.listenPort() != 0) {
            line(out, "listen_port", Integer.toString(device.listenPort()));
        }
        if (device.fwmark() != 0) {
            line(out, "fwmark", Integer.toUnsignedString(device.fwmark()));
        }
        for (PeerSnapshot peer : device.peers()) {
            line(out, "public_key", peer.publicKey().toHex());
            // wireguard-go always prints the preshared key, all zeros when there is none
            line(
                    out,
                    "preshared_key",
                    peer.presharedKey() == null
                            ? ZERO_KEY_HEX
                            : peer.presharedKey().toHex());
            line(out, "protocol_version", "1");
            if (peer.endpoint() != null && peer.endpoint().getAddress() != null) {
                line(out, "endpoint", IpText.formatEndpoint(peer.endpoint()));
            }
            long handshake = peer.lastHandshakeEpochNanos();
            line(out, "last_handshake_time_sec", Long.toString(Math.floorDiv(handshake, NANOS_PER_SECOND)));
            line(out, "last_handshake_time_nsec", Long.toString(Math.floorMod(handshake, NANOS_PER_SECOND)));
            line(out, "tx_bytes", Long.toUnsignedString(peer.txBytes()));
            line(out, "rx_bytes", Long.toUnsignedString(peer.rxBytes()));
            line(out, "persistent_keepalive_interval", Integer.toString(peer.persistentKeepaliveSeconds()));
            for (Cidr prefix : peer.allowedIps()) {
                line(out, "allowed_ip", IpText.formatPrefix(prefix));
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(value).append('\n');
    }
}

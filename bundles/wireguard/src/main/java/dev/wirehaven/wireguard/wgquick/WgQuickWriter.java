package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.Key;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes wg-quick files. The key order follows the seed's examples and the stock apps' exports
 * (keys first, then addressing, then the rest), only keys with a value are written, and the
 * output reads back through {@link WgQuickParser} to an equal {@link WgQuickConfig}.
 *
 * <p>The text holds the private key: it goes to an owner-only file, a QR code or the person who
 * asked for it, never to a log.
 */
public final class WgQuickWriter {

    private WgQuickWriter() {}

    /** The text of a whole file, server or client. */
    public static String write(WgQuickConfig config) {
        StringBuilder out = new StringBuilder();
        writeInterface(out, config.iface());
        for (PeerSection peer : config.peers()) {
            out.append('\n');
            writePeer(out, peer);
        }
        return out.toString();
    }

    private static void writeInterface(StringBuilder out, InterfaceSection s) {
        out.append("[Interface]\n");
        line(out, "PrivateKey", s.privateKey().toBase64());
        if (!s.addresses().isEmpty()) {
            line(out, "Address", join(s.addresses().stream().map(InterfaceAddress::toString)));
        }
        s.listenPort().ifPresent(p -> line(out, "ListenPort", Integer.toString(p)));
        s.fwMark().ifPresent(m -> line(out, "FwMark", m == 0 ? "off" : "0x" + Long.toHexString(m)));
        if (!s.dnsServers().isEmpty() || !s.dnsSearchDomains().isEmpty()) {
            line(
                    out,
                    "DNS",
                    join(Stream.concat(
                            s.dnsServers().stream().map(IpAddresses::format), s.dnsSearchDomains().stream())));
        }
        s.mtu().ifPresent(m -> line(out, "MTU", Integer.toString(m)));
        s.table().ifPresent(t -> line(out, "Table", t));
        if (s.saveConfig()) {
            line(out, "SaveConfig", "true");
        }
        s.preUp().forEach(c -> line(out, "PreUp", c));
        s.postUp().forEach(c -> line(out, "PostUp", c));
        s.preDown().forEach(c -> line(out, "PreDown", c));
        s.postDown().forEach(c -> line(out, "PostDown", c));
    }

    private static void writePeer(StringBuilder out, PeerSection p) {
        out.append("[Peer]\n");
        line(out, "PublicKey", p.publicKey().toBase64());
        p.presharedKey().map(Key::toBase64).ifPresent(k -> line(out, "PresharedKey", k));
        p.endpoint().ifPresent(e -> line(out, "Endpoint", e.toString()));
        if (!p.allowedIps().isEmpty()) {
            line(out, "AllowedIPs", join(p.allowedIps().stream().map(c -> c.toString())));
        }
        p.persistentKeepalive().ifPresent(k -> line(out, "PersistentKeepalive", Integer.toString(k)));
    }

    private static void line(StringBuilder out, String key, String value) {
        // a newline or '#' in a value would change what the file means when it is read back
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('#') >= 0) {
            throw new IllegalArgumentException(key + ": a value cannot contain a line break or '#' in a wg-quick file");
        }
        out.append(key).append(" = ").append(value).append('\n');
    }

    private static String join(Stream<String> items) {
        return items.collect(Collectors.joining(", "));
    }
}

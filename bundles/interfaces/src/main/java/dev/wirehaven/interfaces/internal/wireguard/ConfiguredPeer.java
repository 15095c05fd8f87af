package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StaticPeer} as it goes onto the device: its preshared key read from its file, its
 * endpoint's host looked up. Two equal values configure the device the same way, which is how a
 * changed configuration finds the peers that it really changes.
 *
 * @param presharedKey {@code null} for none
 * @param endpoint {@code null} when none is configured or its name does not resolve now
 */
record ConfiguredPeer(
        Key publicKey, Key presharedKey, InetSocketAddress endpoint, int persistentKeepalive, List<Cidr> allowedIps) {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredPeer.class);

    ConfiguredPeer {
        allowedIps = List.copyOf(allowedIps);
    }

    /**
     * Reads the preshared key file and resolves the endpoint.
     *
     * @throws IOException when the preshared key file cannot be used; the message names the file
     */
    static ConfiguredPeer resolve(StaticPeer peer, String iface) throws IOException {
        Key psk = peer.presharedKeyFile() == null
                ? null
                : PrivateKeyFile.presharedKey(peer.presharedKeyFile()).load();
        InetSocketAddress endpoint = null;
        if (peer.endpoint() != null) {
            try {
                // an IP literal parses without a lookup; a name is looked up now, as wg(8) does when it is set
                endpoint = new InetSocketAddress(
                        InetAddress.getByName(peer.endpoint().host()),
                        peer.endpoint().port());
            } catch (UnknownHostException e) {
                // a server's peers reach it themselves: a name that does not resolve at this moment (DNS not
                // up yet at boot) must not keep the interface and every other peer down
                LOG.warn(
                        "WireGuard interface {}: the endpoint {} of peer {} does not resolve now; the peer is added"
                                + " without one and is reached once it writes to the server",
                        iface,
                        peer.endpoint(),
                        peer.publicKey().toBase64());
            }
        }
        return new ConfiguredPeer(peer.publicKey(), psk, endpoint, peer.persistentKeepalive(), peer.allowedIps());
    }
}

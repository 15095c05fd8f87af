package dev.wirehaven.client.testing;

import dev.wirehaven.wireguard.Key;

/** The server's WireGuard interface as the fake control server drives it: what step 7 and the cleanup do. */
public interface PeerSide {

    Key publicKey();

    /** {@code host:port} as a server config gives it. */
    String endpoint();

    void addPeer(Key client, Key psk, String address) throws Exception;

    void removePeer(Key client) throws Exception;

    boolean handshakeDone(Key client);
}

package dev.wirehaven.wireguard;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One configuration transaction on a device, in the order and with the meaning of the
 * cross-platform userspace API's {@code set=1} operations. Obtained from
 * {@link WireGuardDevice#configure}; valid only inside that call.
 */
@ProviderType
public interface DeviceConfigurator {

    /** Sets the interface's private key; {@code null} (or the zero key) removes it. */
    void privateKey(Key privateKey);

    /** Rebinds the UDP socket to {@code port}; 0 picks a free port. */
    void listenPort(int port) throws ConfigException;

    /** Sets the firewall mark of outgoing packets; 0 clears it. */
    void fwmark(int fwmark);

    /**
     * Removes every peer (the {@code replace_peers=true} operation), owned peers included: the
     * operator's configuration is the authority, as with the stock tools.
     */
    void replacePeers();

    /**
     * Selects the peer with {@code publicKey} for the following peer operations, creating it unless
     * {@code updateOnly} is set. A peer created here has no owner. A peer that an owner created
     * ({@link #ownedPeer}) is selected as well and keeps its owner: the stock {@code wg} semantics, in
     * which the operator may change any peer.
     *
     * @return the peer's configurator, or {@code null} if {@code updateOnly} and no such peer exists
     */
    PeerConfigurator peer(Key publicKey, boolean updateOnly) throws ConfigException;

    /**
     * Selects the peer with {@code publicKey} for {@code owner} (such as the session layer), creating
     * it if it does not exist. A peer owned by someone else, or put on the device without an owner
     * (the {@code wg} tool, a static peer), is never taken over.
     *
     * @param owner who the peer belongs to; compared with {@link String#equals}
     * @throws ConfigException when the key is already on the device for another owner or without
     *         owner, or is the device's own public key
     * @since 1.1
     */
    PeerConfigurator ownedPeer(Key publicKey, String owner) throws ConfigException;

    /**
     * Replaces the source prefixes from which the device accepts no handshake message (initiation,
     * response, cookie reply): such a message whose UDP source address one of {@code prefixes}
     * covers is dropped before any Diffie-Hellman work, without a cookie reply, and counted under
     * {@link DropReason#SOURCE_BLOCKED}. An empty list blocks nothing.
     *
     * <p>The new list takes effect when the transaction completes, and only if it completes: a
     * transaction that fails leaves the list that was in force. Transport packets of a keypair that
     * already exists are not affected: blocking stops new sessions from those sources, and ending a
     * session that is up is a separate action (remove or re-key the peer).
     *
     * @since 1.2
     */
    void blockSources(List<Cidr> prefixes);

    /** Removes the peer with {@code publicKey}, if present. */
    void removePeer(Key publicKey);
}

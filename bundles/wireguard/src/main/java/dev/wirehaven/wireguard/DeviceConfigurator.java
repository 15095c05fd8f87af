package dev.wirehaven.wireguard;

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

    /** Removes every peer (the {@code replace_peers=true} operation). */
    void replacePeers();

    /**
     * Selects the peer with {@code publicKey} for the following peer operations, creating it unless
     * {@code updateOnly} is set.
     *
     * @return the peer's configurator, or {@code null} if {@code updateOnly} and no such peer exists
     */
    PeerConfigurator peer(Key publicKey, boolean updateOnly) throws ConfigException;

    /** Removes the peer with {@code publicKey}, if present. */
    void removePeer(Key publicKey);
}

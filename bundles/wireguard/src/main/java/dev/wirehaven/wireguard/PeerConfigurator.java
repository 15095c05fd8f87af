package dev.wirehaven.wireguard;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/** Operations on one peer within a {@link DeviceConfigurator} transaction. */
@ProviderType
public interface PeerConfigurator {

    /** Sets the preshared key; {@code null} (or the zero key) removes it. */
    void presharedKey(Key presharedKey);

    /** Sets the peer's UDP endpoint (it changes again by roaming when the peer writes from elsewhere). */
    void endpoint(InetSocketAddress endpoint);

    /** Sets the persistent keepalive interval in seconds; 0 turns it off. */
    void persistentKeepalive(int seconds);

    /** Removes every allowed IP of this peer (the {@code replace_allowed_ips=true} operation). */
    void replaceAllowedIps();

    /** Routes {@code prefix} to this peer, taking it from any other peer that had it. */
    void addAllowedIp(Cidr prefix);

    /**
     * Routes {@code prefix} to this peer unless a peer of another owner (see
     * {@link DeviceConfigurator#ownedPeer}) or a peer without owner has a prefix that overlaps it
     * (contains it, or lies within it). Peers of the same owner may overlap; an equal prefix moves to
     * this peer as with {@link #addAllowedIp}. For a peer without owner every other peer counts as
     * another owner: its claim succeeds only where no other peer's prefix overlaps.
     *
     * @throws ConfigException naming the prefix that is taken
     * @since 1.1
     */
    void claimAllowedIp(Cidr prefix) throws ConfigException;

    /**
     * Filters this peer's flows with {@code filter} from now on; {@code null} removes the filter.
     * Flows that the new filter no longer allows stop at their next packet; flows that it still
     * allows go on. Removing the filter forgets the tracked flows and the per-rule counts.
     *
     * @since 1.1
     */
    void filter(PeerFilter filter);

    /** Stops routing {@code prefix} to this peer, if it did. */
    void removeAllowedIp(Cidr prefix);
}

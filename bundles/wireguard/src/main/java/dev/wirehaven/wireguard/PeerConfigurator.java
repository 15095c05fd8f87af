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

    /** Stops routing {@code prefix} to this peer, if it did. */
    void removeAllowedIp(Cidr prefix);
}

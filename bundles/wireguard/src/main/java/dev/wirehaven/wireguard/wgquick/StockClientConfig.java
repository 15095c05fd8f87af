package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.Key;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A client config for the stock WireGuard apps (Android, iOS, macOS, Windows, wg-quick), in the
 * shape of the seed's client example: the client's key and addresses, DNS, and one {@code [Peer]}
 * for the server with its endpoint. It holds only the keys that every stock app accepts: the
 * mobile apps refuse a file with hooks, {@code Table}, {@code FwMark} or {@code SaveConfig}.
 *
 * @param server the server as the client's one peer; it must have an endpoint
 */
public record StockClientConfig(
        Key privateKey,
        List<InterfaceAddress> addresses,
        List<InetAddress> dnsServers,
        List<String> dnsSearchDomains,
        OptionalInt mtu,
        PeerSection server) {

    public StockClientConfig {
        Objects.requireNonNull(privateKey, "privateKey");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a client config needs the client's tunnel address");
        }
        dnsServers = List.copyOf(dnsServers);
        dnsSearchDomains = List.copyOf(dnsSearchDomains);
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(server, "server");
        if (server.endpoint().isEmpty()) {
            throw new IllegalArgumentException(
                    "a client config needs the server's Endpoint, or the client cannot reach it");
        }
    }

    /**
     * The stock-app view of a parsed file, as when a person re-imports an exported config.
     *
     * @throws IllegalArgumentException naming every part that a stock app would refuse
     */
    public static StockClientConfig from(WgQuickConfig config) {
        InterfaceSection i = config.iface();
        List<String> refused = new ArrayList<>();
        if (config.peers().size() != 1) {
            refused.add("it has " + config.peers().size() + " [Peer] sections, not exactly one (the server)");
        }
        if (!i.preUp().isEmpty()
                || !i.postUp().isEmpty()
                || !i.preDown().isEmpty()
                || !i.postDown().isEmpty()) {
            refused.add("PreUp/PostUp/PreDown/PostDown hooks");
        }
        i.table().ifPresent(t -> refused.add("Table"));
        i.fwMark().ifPresent(m -> refused.add("FwMark"));
        if (i.saveConfig()) {
            refused.add("SaveConfig");
        }
        if (i.listenPort().isPresent()) {
            refused.add("ListenPort (a client uses a random port)");
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("not a stock client config: " + String.join("; ", refused));
        }
        return new StockClientConfig(
                i.privateKey(),
                i.addresses(),
                i.dnsServers(),
                i.dnsSearchDomains(),
                i.mtu(),
                config.peers().get(0));
    }

    /** The same config in the general model, for {@link WgQuickWriter}. */
    public WgQuickConfig toWgQuickConfig() {
        InterfaceSection.Builder b = InterfaceSection.builder(privateKey);
        addresses.forEach(b::address);
        dnsServers.forEach(b::dnsServer);
        dnsSearchDomains.forEach(b::dnsSearchDomain);
        mtu.ifPresent(b::mtu);
        return new WgQuickConfig(b.build(), List.of(server));
    }

    /** The file text, as the stock apps import it. Holds the private key: never log it. */
    public String text() {
        return WgQuickWriter.write(toWgQuickConfig());
    }

    @Override
    public String toString() {
        return "StockClientConfig[privateKey=(redacted), addresses=" + addresses + ", dnsServers="
                + dnsServers.stream().map(IpAddresses::format).toList() + ", dnsSearchDomains=" + dnsSearchDomains
                + ", mtu=" + mtu + ", server=" + server + "]";
    }
}

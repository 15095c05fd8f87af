package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.Key;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@code [Interface]} section. The hooks (PreUp, PostUp, PreDown, PostDown) keep their order:
 * wg-quick runs them one after the other, and firewall rules often depend on that order.
 *
 * @param fwMark the firewall mark; 0 means {@code FwMark = off}
 * @param table  {@code auto}, {@code off}, a routing table number or name, as written
 */
public record InterfaceSection(
        Key privateKey,
        List<InterfaceAddress> addresses,
        OptionalInt listenPort,
        OptionalLong fwMark,
        List<InetAddress> dnsServers,
        List<String> dnsSearchDomains,
        OptionalInt mtu,
        Optional<String> table,
        boolean saveConfig,
        List<String> preUp,
        List<String> postUp,
        List<String> preDown,
        List<String> postDown) {

    public InterfaceSection {
        Objects.requireNonNull(privateKey, "privateKey");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(fwMark, "fwMark");
        dnsServers = List.copyOf(dnsServers);
        dnsSearchDomains = List.copyOf(dnsSearchDomains);
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(table, "table");
        preUp = List.copyOf(preUp);
        postUp = List.copyOf(postUp);
        preDown = List.copyOf(preDown);
        postDown = List.copyOf(postDown);
    }

    /** A section with only a private key; add the rest through {@link #builder(Key)}. */
    public static Builder builder(Key privateKey) {
        return new Builder(privateKey);
    }

    /** The private key never reaches a log line through this. */
    @Override
    public String toString() {
        return "InterfaceSection[privateKey=(redacted), addresses=" + addresses
                + ", listenPort=" + listenPort + ", fwMark=" + fwMark
                + ", dnsServers=" + dnsServers.stream().map(IpAddresses::format).toList() + ", dnsSearchDomains="
                + dnsSearchDomains
                + ", mtu=" + mtu + ", table=" + table + ", saveConfig=" + saveConfig
                + ", preUp=" + preUp + ", postUp=" + postUp + ", preDown=" + preDown + ", postDown=" + postDown + "]";
    }

    /** Collects the optional parts; the parser fills one as it reads the lines. */
    public static final class Builder {
        private Key privateKey;
        private final List<InterfaceAddress> addresses = new ArrayList<>();
        private OptionalInt listenPort = OptionalInt.empty();
        private OptionalLong fwMark = OptionalLong.empty();
        private final List<InetAddress> dnsServers = new ArrayList<>();
        private final List<String> dnsSearchDomains = new ArrayList<>();
        private OptionalInt mtu = OptionalInt.empty();
        private Optional<String> table = Optional.empty();
        private boolean saveConfig;
        private final List<String> preUp = new ArrayList<>();
        private final List<String> postUp = new ArrayList<>();
        private final List<String> preDown = new ArrayList<>();
        private final List<String> postDown = new ArrayList<>();

        Builder(Key privateKey) {
            this.privateKey = privateKey;
        }

        public Builder privateKey(Key key) {
            this.privateKey = key;
            return this;
        }

        public Builder address(InterfaceAddress address) {
            addresses.add(address);
            return this;
        }

        public Builder listenPort(int port) {
            listenPort = OptionalInt.of(port);
            return this;
        }

        public Builder fwMark(long mark) {
            fwMark = OptionalLong.of(mark);
            return this;
        }

        public Builder dnsServer(InetAddress server) {
            dnsServers.add(server);
            return this;
        }

        public Builder dnsSearchDomain(String domain) {
            dnsSearchDomains.add(domain);
            return this;
        }

        public Builder mtu(int value) {
            mtu = OptionalInt.of(value);
            return this;
        }

        public Builder table(String value) {
            table = Optional.of(value);
            return this;
        }

        public Builder saveConfig(boolean value) {
            saveConfig = value;
            return this;
        }

        public Builder preUp(String command) {
            preUp.add(command);
            return this;
        }

        public Builder postUp(String command) {
            postUp.add(command);
            return this;
        }

        public Builder preDown(String command) {
            preDown.add(command);
            return this;
        }

        public Builder postDown(String command) {
            postDown.add(command);
            return this;
        }

        boolean hasPrivateKey() {
            return privateKey != null;
        }

        public InterfaceSection build() {
            return new InterfaceSection(
                    privateKey,
                    addresses,
                    listenPort,
                    fwMark,
                    dnsServers,
                    dnsSearchDomains,
                    mtu,
                    table,
                    saveConfig,
                    preUp,
                    postUp,
                    preDown,
                    postDown);
        }
    }
}

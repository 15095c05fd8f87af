package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** One {@code [Peer]} section. */
public record PeerSection(
        Key publicKey,
        Optional<Key> presharedKey,
        List<Cidr> allowedIps,
        Optional<Endpoint> endpoint,
        OptionalInt persistentKeepalive) {

    public PeerSection {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(presharedKey, "presharedKey");
        allowedIps = List.copyOf(allowedIps);
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
    }

    /** The preshared key is a secret like a private key: only its presence is shown. */
    @Override
    public String toString() {
        return "PeerSection[publicKey=" + publicKey.toBase64()
                + ", presharedKey=" + (presharedKey.isPresent() ? "(redacted)" : "(none)")
                + ", allowedIps=" + allowedIps
                + ", endpoint=" + endpoint.map(Endpoint::toString).orElse("(none)")
                + ", persistentKeepalive=" + persistentKeepalive + "]";
    }

    /** A peer with only its public key; add the rest through the builder. */
    public static Builder builder(Key publicKey) {
        return new Builder(publicKey);
    }

    /** Collects the optional parts; the parser fills one as it reads the lines. */
    public static final class Builder {
        private Key publicKey;
        private Optional<Key> presharedKey = Optional.empty();
        private final List<Cidr> allowedIps = new ArrayList<>();
        private Optional<Endpoint> endpoint = Optional.empty();
        private OptionalInt persistentKeepalive = OptionalInt.empty();

        Builder(Key publicKey) {
            this.publicKey = publicKey;
        }

        public Builder publicKey(Key key) {
            publicKey = key;
            return this;
        }

        public Builder presharedKey(Key key) {
            presharedKey = Optional.of(key);
            return this;
        }

        public Builder allowedIp(Cidr prefix) {
            allowedIps.add(prefix);
            return this;
        }

        public Builder endpoint(Endpoint value) {
            endpoint = Optional.of(value);
            return this;
        }

        public Builder persistentKeepalive(int seconds) {
            persistentKeepalive = OptionalInt.of(seconds);
            return this;
        }

        Key publicKey() {
            return publicKey;
        }

        public PeerSection build() {
            return new PeerSection(publicKey, presharedKey, allowedIps, endpoint, persistentKeepalive);
        }
    }
}

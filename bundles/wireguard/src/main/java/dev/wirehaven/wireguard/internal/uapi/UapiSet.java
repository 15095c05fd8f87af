package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceConfigurator;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code set=1} request: its {@code key=value} lines parsed into operations and applied in one
 * {@link WireGuardDevice#configure} transaction, in order.
 *
 * <p>A request with a bad line changes nothing: every line is parsed and checked before the device
 * sees any operation, and the first bad line's errno is the answer: a line without {@code =} is
 * {@code EPROTO}, an unknown key or a bad value is {@code EINVAL}. (wireguard-go applies the lines
 * before a bad one; all or nothing is safer for an operator's {@code wg set} typo, and {@code wg}
 * only sees the errno either way.) A failure that only the device can find, a port that cannot be
 * bound ({@code EADDRINUSE}), still comes after the operations before it were applied: the
 * configuration transaction has no rollback.
 *
 * <p>{@code update_only} and {@code remove} come after the {@code public_key} line that they
 * qualify, while {@link DeviceConfigurator#peer} wants to know at selection time whether it may
 * create; the parser therefore looks ahead within the peer's section. The net effect is
 * wireguard-go's: a peer created and then marked {@code update_only} or {@code remove} in the same
 * section never exists afterwards, and the section's other lines are checked but change nothing.
 */
final class UapiSet {

    private final List<Operation> operations;
    private final UapiException parseError;

    private UapiSet(List<Operation> operations, UapiException parseError) {
        this.operations = operations;
        this.parseError = parseError;
    }

    /** Parses the lines of one request (without {@code set=1} and without the closing blank line). */
    static UapiSet parse(List<String> lines) {
        List<Operation> ops = new ArrayList<>();
        boolean inPeer = false;
        boolean peerInert = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf('=');
            if (eq < 0) {
                return new UapiSet(
                        ops, new UapiException(UapiException.EPROTO, "failed to parse line " + IpText.quote(line)));
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            try {
                if (key.equals("public_key")) {
                    inPeer = true;
                    Key publicKey = parseKey(value, "public_key");
                    boolean updateOnly = sectionHasFlag(lines, i + 1, "update_only");
                    boolean remove = sectionHasFlag(lines, i + 1, "remove");
                    peerInert = remove;
                    ops.add(remove ? new RemovePeer(publicKey) : new SelectPeer(publicKey, updateOnly));
                } else if (!inPeer) {
                    ops.add(deviceOperation(key, value));
                } else {
                    Operation op = peerOperation(key, value);
                    if (!peerInert && op != null) {
                        ops.add(op);
                    }
                }
            } catch (IllegalArgumentException e) {
                return new UapiSet(ops, new UapiException(UapiException.EINVAL, e.getMessage(), e));
            }
        }
        return new UapiSet(ops, null);
    }

    /**
     * Applies the parsed operations to {@code device}, unless parsing failed: then it reports the parse
     * error and leaves the device alone. Otherwise the device's failure, if any, is the answer.
     */
    void applyTo(WireGuardDevice device) throws UapiException {
        if (parseError != null) {
            throw parseError;
        }
        if (!operations.isEmpty()) {
            Cursor cursor = new Cursor();
            try {
                device.configure(configurator -> {
                    cursor.device = configurator;
                    for (Operation op : operations) {
                        cursor.errnoOnFailure = UapiException.EINVAL;
                        op.apply(cursor);
                    }
                });
            } catch (ConfigException e) {
                throw new UapiException(cursor.errnoOnFailure, e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new UapiException(UapiException.EIO, "device failed during set: " + e, e);
            }
        }
    }

    /** The operations, for tests that check parsing apart from a device. */
    List<Operation> operations() {
        return operations;
    }

    private static Operation deviceOperation(String key, String value) {
        switch (key) {
            case "private_key": {
                Key k = parseKey(value, "private_key");
                return new PrivateKey(k.isZero() ? null : k);
            }
            case "listen_port":
                return new ListenPort(IpText.parseDecimal(value, 0xffff, "listen_port"));
            case "fwmark":
                return new Fwmark((int) IpText.parseUnsigned(value, 0xffff_ffffL, "fwmark"));
            case "replace_peers":
                requireTrue(key, value);
                return new ReplacePeers();
            default:
                throw new IllegalArgumentException("invalid UAPI device key: " + IpText.quote(key));
        }
    }

    /** The operation for one peer line, or {@code null} for a line that only qualifies the selection. */
    private static Operation peerOperation(String key, String value) {
        switch (key) {
            case "update_only":
            case "remove":
                requireTrue(key, value);
                return null;
            case "preshared_key": {
                Key k = parseKey(value, "preshared_key");
                return new PresharedKey(k.isZero() ? null : k);
            }
            case "endpoint":
                return new Endpoint(IpText.parseEndpoint(value));
            case "persistent_keepalive_interval":
                return new PersistentKeepalive(IpText.parseDecimal(value, 0xffff, "persistent_keepalive_interval"));
            case "replace_allowed_ips":
                requireTrue(key, value);
                return new ReplaceAllowedIps();
            case "allowed_ip":
                // newer wg tools send "-prefix" to remove one allowed IP
                if (value.startsWith("-")) {
                    return new AllowedIp(IpText.parsePrefix(value.substring(1)), true);
                }
                return new AllowedIp(IpText.parsePrefix(value), false);
            case "protocol_version":
                if (!value.equals("1")) {
                    throw new IllegalArgumentException("invalid protocol version: " + IpText.quote(value));
                }
                return null;
            default:
                throw new IllegalArgumentException("invalid UAPI peer key: " + IpText.quote(key));
        }
    }

    /** Whether {@code key=true} appears between {@code from} and the next {@code public_key} line. */
    private static boolean sectionHasFlag(List<String> lines, int from, String key) {
        String flag = key + "=true";
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("public_key=")) {
                return false;
            }
            if (line.equals(flag)) {
                return true;
            }
        }
        return false;
    }

    private static Key parseKey(String hex, String what) {
        try {
            return Key.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + what + ": 64 hex digits expected", e);
        }
    }

    private static void requireTrue(String key, String value) {
        if (!value.equals("true")) {
            throw new IllegalArgumentException("invalid value for " + key + ": " + IpText.quote(value));
        }
    }

    /** Where the transaction stands: the device, the selected peer ({@code null}: none or ignored). */
    static final class Cursor {
        DeviceConfigurator device;
        PeerConfigurator peer;
        int errnoOnFailure = UapiException.EINVAL;
    }

    /** One parsed line's effect. */
    sealed interface Operation {
        void apply(Cursor cursor) throws ConfigException;
    }

    record PrivateKey(Key key) implements Operation {
        @Override
        public void apply(Cursor c) {
            c.device.privateKey(key);
        }
    }

    record ListenPort(int port) implements Operation {
        @Override
        public void apply(Cursor c) throws ConfigException {
            c.errnoOnFailure = UapiException.EADDRINUSE;
            c.device.listenPort(port);
        }
    }

    record Fwmark(int mark) implements Operation {
        @Override
        public void apply(Cursor c) {
            c.device.fwmark(mark);
        }
    }

    record ReplacePeers() implements Operation {
        @Override
        public void apply(Cursor c) {
            c.device.replacePeers();
        }
    }

    record SelectPeer(Key publicKey, boolean updateOnly) implements Operation {
        @Override
        public void apply(Cursor c) throws ConfigException {
            c.peer = c.device.peer(publicKey, updateOnly);
        }
    }

    record RemovePeer(Key publicKey) implements Operation {
        @Override
        public void apply(Cursor c) {
            c.peer = null;
            c.device.removePeer(publicKey);
        }
    }

    record PresharedKey(Key key) implements Operation {
        @Override
        public void apply(Cursor c) {
            if (c.peer != null) {
                c.peer.presharedKey(key);
            }
        }
    }

    record Endpoint(InetSocketAddress endpoint) implements Operation {
        @Override
        public void apply(Cursor c) {
            if (c.peer != null) {
                c.peer.endpoint(endpoint);
            }
        }
    }

    record PersistentKeepalive(int seconds) implements Operation {
        @Override
        public void apply(Cursor c) {
            if (c.peer != null) {
                c.peer.persistentKeepalive(seconds);
            }
        }
    }

    record ReplaceAllowedIps() implements Operation {
        @Override
        public void apply(Cursor c) {
            if (c.peer != null) {
                c.peer.replaceAllowedIps();
            }
        }
    }

    record AllowedIp(Cidr prefix, boolean remove) implements Operation {
        @Override
        public void apply(Cursor c) {
            if (c.peer == null) {
                return;
            }
            if (remove) {
                c.peer.removeAllowedIp(prefix);
            } else {
                c.peer.addAllowedIp(prefix);
            }
        }
    }
}

package dev.wirehaven.client;

import dev.wirehaven.wireguard.Key;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to connect: who, from which device and interface, with which keys, and the timings of
 * keep-alive, loss detection and reconnect. Immutable; the {@code with} methods return copies.
 */
public final class ConnectOptions {

    /** The default interface name of the command line. */
    public static final String DEFAULT_INTERFACE = "wh0";

    private static final java.util.regex.Pattern INTERFACE_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_=+.-]{1,15}");

    private final String username;
    private final String deviceName;
    private final String interfaceName;
    private final Key privateKey;
    private final String requestedAddress;
    private final String authMethod;
    private final Duration statusInterval;
    private final Duration handshakeTimeout;
    private final Duration setupTimeout;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Duration policyWait;
    private final ConnectionListener listener;
    private final java.util.List<String> advertisedSubnets;

    /** The values of one copy while a {@code with} method changes one of them; never escapes this class. */
    private static final class Values {
        String username;
        String deviceName;
        String interfaceName;
        Key privateKey;
        String requestedAddress;
        String authMethod;
        Duration statusInterval;
        Duration handshakeTimeout;
        Duration setupTimeout;
        Duration backoffBase;
        Duration backoffCap;
        Duration policyWait;
        ConnectionListener listener;
        java.util.List<String> advertisedSubnets = java.util.List.of();
    }

    private ConnectOptions(Values v) {
        this.username = v.username;
        this.deviceName = v.deviceName;
        this.interfaceName = Objects.requireNonNull(v.interfaceName, "interfaceName");
        this.privateKey = v.privateKey;
        this.requestedAddress = v.requestedAddress;
        this.authMethod = v.authMethod;
        this.statusInterval = positive("statusInterval", v.statusInterval);
        this.handshakeTimeout = positive("handshakeTimeout", v.handshakeTimeout);
        this.setupTimeout = positive("setupTimeout", v.setupTimeout);
        this.backoffBase = positive("backoffBase", v.backoffBase);
        this.backoffCap = positive("backoffCap", v.backoffCap);
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffCap " + backoffCap + " is below backoffBase " + backoffBase);
        }
        this.policyWait = positive("policyWait", v.policyWait);
        this.listener = Objects.requireNonNull(v.listener, "listener");
        this.advertisedSubnets = java.util.List.copyOf(v.advertisedSubnets);
    }

    private Values values() {
        Values v = new Values();
        v.username = username;
        v.deviceName = deviceName;
        v.interfaceName = interfaceName;
        v.privateKey = privateKey;
        v.requestedAddress = requestedAddress;
        v.authMethod = authMethod;
        v.statusInterval = statusInterval;
        v.handshakeTimeout = handshakeTimeout;
        v.setupTimeout = setupTimeout;
        v.backoffBase = backoffBase;
        v.backoffCap = backoffCap;
        v.policyWait = policyWait;
        v.listener = listener;
        v.advertisedSubnets = advertisedSubnets;
        return v;
    }

    private ConnectOptions with(Consumer<Values> change) {
        Values v = values();
        change.accept(v);
        return new ConnectOptions(v);
    }

    /**
     * Options for {@code username} with the defaults: interface {@value #DEFAULT_INTERFACE}, no device
     * name, a fresh key pair, a status report every 15 s, a connection counted as lost after 180 s
     * without a handshake (WireGuard's own limit), 60 s for the first handshake, reconnects with
     * backoff from 1 s up to 60 s, policy long polls of 55 s, no listener.
     */
    public static ConnectOptions forUser(String username) {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("a user name is needed");
        }
        Values v = new Values();
        v.username = username;
        v.deviceName = "";
        v.interfaceName = DEFAULT_INTERFACE;
        v.statusInterval = Duration.ofSeconds(15);
        v.handshakeTimeout = Duration.ofSeconds(180);
        v.setupTimeout = Duration.ofSeconds(60);
        v.backoffBase = Duration.ofSeconds(1);
        v.backoffCap = Duration.ofSeconds(60);
        v.policyWait = Duration.ofSeconds(55);
        v.listener = event -> {};
        return new ConnectOptions(v);
    }

    public String username() {
        return username;
    }

    /** A name for this device, shown to operators and used by the server to keep the address stable. */
    public String deviceName() {
        return deviceName;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** The WireGuard private key, or {@code null} for a fresh one per connection. */
    public Key privateKey() {
        return privateKey;
    }

    /** The tunnel address to ask for, or {@code null}. */
    public String requestedAddress() {
        return requestedAddress;
    }

    /**
     * The auth method to answer the server's challenge with, such as {@code static-token} or
     * {@code oidc}, or {@code null} for the default: {@code password} when the server offers it,
     * else the first method it offers.
     */
    public String authMethod() {
        return authMethod;
    }

    public Duration statusInterval() {
        return statusInterval;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration setupTimeout() {
        return setupTimeout;
    }

    public Duration backoffBase() {
        return backoffBase;
    }

    public Duration backoffCap() {
        return backoffCap;
    }

    public Duration policyWait() {
        return policyWait;
    }

    public ConnectionListener listener() {
        return listener;
    }

    public ConnectOptions withDeviceName(String name) {
        return with(v -> v.deviceName = name == null ? "" : name);
    }

    /**
     * The tunnel interface's name: 1 to 15 bytes (Linux's {@code IFNAMSIZ} less its NUL; a longer name is
     * refused by the kernel or, by some tools, cut into another interface's name) of letters, digits and
     * {@code _=+.-}, and not {@code .} or {@code ..}: it is also a file name in the run directory.
     *
     * @throws IllegalArgumentException for any other name, shown with control characters as {@code <U+XXXX>}
     */
    public ConnectOptions withInterfaceName(String name) {
        Objects.requireNonNull(name, "name");
        if (!INTERFACE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            StringBuilder shown = new StringBuilder();
            name.codePoints().limit(40).forEach(c -> {
                if (c < 0x20 || c > 0x7e) {
                    shown.append(String.format(java.util.Locale.ROOT, "<U+%04X>", c));
                } else {
                    shown.appendCodePoint(c);
                }
            });
            throw new IllegalArgumentException(
                    "'" + shown + "' is not an interface name (1 to 15 letters, digits" + " and _=+.-)");
        }
        return with(v -> v.interfaceName = name);
    }

    public ConnectOptions withPrivateKey(Key key) {
        return with(v -> v.privateKey = key);
    }

    public ConnectOptions withRequestedAddress(String address) {
        return with(v -> v.requestedAddress = address);
    }

    /**
     * Answers the challenge with {@code method} (see {@link #authMethod()}); connecting fails with a
     * clear message when the server does not offer it.
     */
    public ConnectOptions withAuthMethod(String method) {
        if (method != null && method.isBlank()) {
            throw new IllegalArgumentException("the auth method is blank");
        }
        return with(v -> v.authMethod = method);
    }

    public ConnectOptions withStatusInterval(Duration interval) {
        return with(v -> v.statusInterval = interval);
    }

    public ConnectOptions withHandshakeTimeout(Duration timeout) {
        return with(v -> v.handshakeTimeout = timeout);
    }

    public ConnectOptions withSetupTimeout(Duration timeout) {
        return with(v -> v.setupTimeout = timeout);
    }

    /** Reconnect attempts wait a random time up to {@code min(cap, base * 2^attempt)}. */
    public ConnectOptions withBackoff(Duration base, Duration cap) {
        return with(v -> {
            v.backoffBase = base;
            v.backoffCap = cap;
        });
    }

    /** How long the server may hold a policy long poll (it caps this at 60 s). */
    public ConnectOptions withPolicyWait(Duration wait) {
        return with(v -> v.policyWait = wait);
    }

    /** The subnets behind this client that it asks the server to route to it (site-to-site); none by default. */
    public java.util.List<String> advertisedSubnets() {
        return advertisedSubnets;
    }

    /**
     * Asks the server to route {@code subnets} (prefixes of the LAN behind this client, a branch office)
     * to this client; the server's policy decides, and a refusal names the subnet.
     *
     * @throws IllegalArgumentException when an entry is not an IP prefix
     */
    public ConnectOptions withAdvertisedSubnets(java.util.List<String> subnets) {
        for (String s : subnets) {
            try {
                dev.wirehaven.wireguard.Cidr.parse(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + s + "' is not an IP prefix such as 192.168.30.0/24", e);
            }
        }
        return with(v -> v.advertisedSubnets = java.util.List.copyOf(subnets));
    }

    public ConnectOptions withListener(ConnectionListener l) {
        return with(v -> v.listener = l);
    }

    private static Duration positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /** The key is left out. */
    @Override
    public String toString() {
        return "ConnectOptions[user=" + username + ", device=" + deviceName + ", interface=" + interfaceName + "]";
    }
}

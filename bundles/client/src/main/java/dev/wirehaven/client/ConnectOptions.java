package dev.wirehaven.client;

import dev.wirehaven.wireguard.Key;
import java.time.Duration;
import java.util.Objects;

/**
 * How to connect: who, from which device and interface, with which keys, and the timings of
 * keep-alive, loss detection and reconnect. Immutable; the {@code with} methods return copies.
 */
public final class ConnectOptions {

    /** The default interface name of the command line. */
    public static final String DEFAULT_INTERFACE = "wh0";

    private final String username;
    private final String deviceName;
    private final String interfaceName;
    private final Key privateKey;
    private final String requestedAddress;
    private final Duration statusInterval;
    private final Duration handshakeTimeout;
    private final Duration setupTimeout;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Duration policyWait;
    private final ConnectionListener listener;

    private ConnectOptions(String username, String deviceName, String interfaceName, Key privateKey,
            String requestedAddress, Duration statusInterval, Duration handshakeTimeout, Duration setupTimeout,
            Duration backoffBase, Duration backoffCap, Duration policyWait, ConnectionListener listener) {
        this.username = username;
        this.deviceName = deviceName;
        this.interfaceName = interfaceName;
        this.privateKey = privateKey;
        this.requestedAddress = requestedAddress;
        this.statusInterval = positive("statusInterval", statusInterval);
        this.handshakeTimeout = positive("handshakeTimeout", handshakeTimeout);
        this.setupTimeout = positive("setupTimeout", setupTimeout);
        this.backoffBase = positive("backoffBase", backoffBase);
        this.backoffCap = positive("backoffCap", backoffCap);
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffCap " + backoffCap + " is below backoffBase " + backoffBase);
        }
        this.policyWait = positive("policyWait", policyWait);
        this.listener = Objects.requireNonNull(listener, "listener");
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
        return new ConnectOptions(username, "", DEFAULT_INTERFACE, null, null, Duration.ofSeconds(15),
                Duration.ofSeconds(180), Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(55), event -> { });
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
        return new ConnectOptions(username, name == null ? "" : name, interfaceName, privateKey, requestedAddress,
                statusInterval, handshakeTimeout, setupTimeout, backoffBase, backoffCap, policyWait, listener);
    }

    public ConnectOptions withInterfaceName(String name) {
        return new ConnectOptions(username, deviceName, Objects.requireNonNull(name, "name"), privateKey, requestedAddress,
                statusInterval, handshakeTimeout, setupTimeout, backoffBase, backoffCap, policyWait, listener);
    }

    public ConnectOptions withPrivateKey(Key key) {
        return new ConnectOptions(username, deviceName, interfaceName, key, requestedAddress, statusInterval,
                handshakeTimeout, setupTimeout, backoffBase, backoffCap, policyWait, listener);
    }

    public ConnectOptions withRequestedAddress(String address) {
        return new ConnectOptions(username, deviceName, interfaceName, privateKey, address, statusInterval,
                handshakeTimeout, setupTimeout, backoffBase, backoffCap, policyWait, listener);
    }

    public ConnectOptions withStatusInterval(Duration interval) {
        return new ConnectOptions(username, deviceName, interfaceName, privateKey, requestedAddress, interval,
                handshakeTimeout, setupTimeout, backoffBase, backoffCap, policyWait, listener);
    }

    public ConnectOptions withHandshakeTimeout(Duration timeout) {
        return new ConnectOptions(username, deviceName, interfaceName, privateKey, requestedAddress, statusInterval,
                timeout, setupTimeout, backoffBase, backoffCap, policyWait, listener);
    }

    public ConnectOptions withSetupTimeout(Duration timeout) {
        return new ConnectOptions(username, deviceName, interfaceName, privateKey, requestedAddress, statusInterval,
                handshakeTimeout, timeout, backoffBase, backoffCap, policyWait, listener);
    }

    /** Reconnect attempts wait a random time up to {@code min(cap, base * 2^attempt)}. */
    public ConnectOptions withBackoff(Duration base, Duration cap) {
        return new ConnectOptions(username, deviceName, interfaceName, privateKey, requestedAddress, statusInterval,
                handshakeTimeout, setupTimeout, base, cap, policyWait, listener);
    }

    /** How long the server may hold a policy long poll (it caps this at 60 s). */
    public ConnectOptions withPolicyWait(Duration wait) {
        return new ConnectOptions(username, deviceName, interfaceName, privateKey, requestedAddress, statusInterval,
                handshakeTimeout, setupTimeout, backoffBase, backoffCap, wait, listener);
    }

    public ConnectOptions withListener(ConnectionListener l) {
        return new ConnectOptions(username, deviceName, interfaceName, privateKey, requestedAddress, statusInterval,
                handshakeTimeout, setupTimeout, backoffBase, backoffCap, policyWait, l);
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

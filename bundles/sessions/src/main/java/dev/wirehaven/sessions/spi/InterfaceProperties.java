package dev.wirehaven.sessions.spi;

/**
 * The service properties of a {@code dev.wirehaven.wireguard.WireGuardDevice} that the interfaces
 * bundle registers for each configured interface, and by which the session core finds the one it serves
 * (its {@code interface} setting) and learns what clients need (port, public key, addresses).
 */
public final class InterfaceProperties {

    /** The interface's name, such as {@code wg0}. */
    public static final String INTERFACE = "wirehaven.interface";
    /** The UDP listen port. */
    public static final String LISTEN_PORT = "wirehaven.listenPort";
    /** The interface's public key (base64), which clients need as their peer. */
    public static final String PUBLIC_KEY = "wirehaven.publicKey";
    /** The interface's addresses, {@code address/prefix}, as a String array. */
    public static final String ADDRESSES = "wirehaven.addresses";

    private InterfaceProperties() {}
}

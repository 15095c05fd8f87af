package dev.wirehaven.server.internal.wireguard;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One WireGuard interface of the server, as the Felix Web Console and {@code etc/*.cfg} files show it.
 * The component reads the raw properties itself (see {@link InterfaceSettings}); this type describes
 * them for Metatype, and its defaults are the same constants.
 */
@ObjectClassDefinition(
        id = InterfaceSettings.FACTORY_PID,
        name = "Wirehaven WireGuard interface",
        description = "A WireGuard interface that the server creates and serves to the wg tool"
                + " (wg show <name>). One configuration per interface; needs root or CAP_NET_ADMIN."
                + " Peers are added with 'wg set' or by the session flow. Saving a change recreates the"
                + " interface (peers that were added by hand are then gone).")
@interface InterfaceConfig {

    @AttributeDefinition(name = "Interface name",
            description = "The network interface to create, e.g. wg0: 1 to 15 letters, digits, '_', '.' or '-'."
                    + " It must not exist yet in the server's network namespace.")
    String name() default InterfaceSettings.DEFAULT_NAME;

    @AttributeDefinition(name = "Listen port",
            description = "The UDP port on which peers reach this interface (1-65535).", min = "1", max = "65535")
    int listenPort() default InterfaceSettings.DEFAULT_LISTEN_PORT;

    @AttributeDefinition(name = "Private key file",
            description = "File with the interface's base64 private key, as 'wg genkey' writes it. Empty:"
                    + " <wirehaven.data>/keys/<name>.key. A relative path is relative to the data directory."
                    + " A missing file is created with a new key (owner-only); the public key is logged at start.")
    String privateKeyFile() default "";

    @AttributeDefinition(name = "Addresses",
            description = "The interface's own addresses with their prefix, IPv4 or IPv6, e.g. 10.8.0.1/24"
                    + " or fd00:8::1/64. Several may also be given in one value, separated by commas.")
    String[] addresses() default {};

    @AttributeDefinition(name = "MTU",
            description = "The interface MTU in bytes; 1420 fits WireGuard over IPv4 and IPv6 on a 1500-byte link.",
            min = "576", max = "65535")
    int mtu() default InterfaceSettings.DEFAULT_MTU;
}

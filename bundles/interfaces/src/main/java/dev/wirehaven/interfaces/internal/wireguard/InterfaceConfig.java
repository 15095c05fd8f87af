package dev.wirehaven.interfaces.internal.wireguard;

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
                + " 'bin/wirehaven import-wg-quick wg0.conf' writes one from a wg-quick file."
                + " Beside the static peers below, the session flow adds its clients (and 'wg set' may add"
                + " peers by hand). Saving a change of the static peers or the hooks applies it to the"
                + " running interface, and so is a change of forwarding or masquerade; a change of name, port, key"
                + " file, addresses or MTU recreates the interface (the peers of sessions and 'wg set' are then gone"
                + " until they are added again).")
@interface InterfaceConfig {

    @AttributeDefinition(
            name = "Interface name",
            description = "The network interface to create, e.g. wg0: 1 to 15 letters, digits, '_', '.' or '-'."
                    + " It must not exist yet in the server's network namespace.")
    String name() default InterfaceSettings.DEFAULT_NAME;

    @AttributeDefinition(
            name = "Listen port",
            description = "The UDP port on which peers reach this interface (1-65535).",
            min = "1",
            max = "65535")
    int listenPort() default InterfaceSettings.DEFAULT_LISTEN_PORT;

    @AttributeDefinition(
            name = "Private key file",
            description = "File with the interface's base64 private key, as 'wg genkey' writes it. Empty:"
                    + " <wirehaven.data>/keys/<name>.key. A relative path is relative to the data directory."
                    + " A missing file is created with a new key (owner-only); the public key is logged at start.")
    String privateKeyFile() default "";

    @AttributeDefinition(
            name = "Addresses",
            description = "The interface's own addresses with their prefix, IPv4 or IPv6, e.g. 10.8.0.1/24"
                    + " or fd00:8::1/64. Several may also be given in one value, separated by commas.")
    String[] addresses() default {};

    @AttributeDefinition(
            name = "MTU",
            description = "The interface MTU in bytes; 1420 fits WireGuard over IPv4 and IPv6 on a 1500-byte link.",
            min = "576",
            max = "65535")
    int mtu() default InterfaceSettings.DEFAULT_MTU;

    @AttributeDefinition(
            name = "Static peers",
            required = false,
            description = "Peers that the interface always has, one per field, written as after 'wg set <name> peer':"
                    + " <public key> [allowed-ips <prefix>,...] [endpoint <host>:<port>] [persistent-keepalive"
                    + " <seconds>] [preshared-key <file>], e.g. 'xTIB...8Dg= allowed-ips 10.8.0.2/32'. The preshared"
                    + " key file ('wg genpsk', owner-only) is relative to the data directory. In a .cfg file, separate"
                    + " peers with ';'. A change adds, changes and removes only these peers on the running interface.")
    String[] peers() default {};

    @AttributeDefinition(
            name = "PreUp",
            required = false,
            description = "Commands run with /bin/sh -c before the interface is created, as wg-quick's PreUp; %i"
                    + " stands for the interface name. If one fails, the interface is not created. In a .cfg file,"
                    + " several commands are separated by \\n.")
    String[] preUp() default {};

    @AttributeDefinition(
            name = "PostUp",
            required = false,
            description = "Commands run with /bin/sh -c once the interface is up with its static peers, as wg-quick's"
                    + " PostUp (e.g. iptables -A FORWARD -i %i -j ACCEPT); %i stands for the interface name. A failing"
                    + " command is logged as an ERROR naming this configuration, the commands after it do not run,"
                    + " and the interface stays up. A changed PostUp takes effect at once: the previous PostDown runs,"
                    + " then the new PostUp. Their output is in the server log.")
    String[] postUp() default {};

    @AttributeDefinition(
            name = "PreDown",
            required = false,
            description = "Commands run with /bin/sh -c before the interface is removed, as wg-quick's PreDown.")
    String[] preDown() default {};

    @AttributeDefinition(
            name = "PostDown",
            required = false,
            description = "Commands run with /bin/sh -c after the interface was removed, as wg-quick's PostDown"
                    + " (e.g. iptables -D FORWARD -i %i -j ACCEPT); every command runs even if one fails.")
    String[] postDown() default {};

    @AttributeDefinition(
            name = "Forwarding",
            required = false,
            description = "While the interface is up, the kernel forwards its traffic (a full tunnel, or clients that"
                    + " reach networks behind the server): IPv4 forwarding for this interface and the masquerade's"
                    + " outgoing one (for every interface when masquerade is auto or empty), IPv6 forwarding when the"
                    + " interface has an IPv6 address. Only what was off is turned on, and it is turned off again when"
                    + " the interface goes or this is set to false.")
    boolean forwarding() default false;

    @AttributeDefinition(
            name = "Masquerade",
            required = false,
            description = "Traffic from the interface's own subnets (its addresses) leaves with the server's address:"
                    + " the name of the interface toward the internet (e.g. eth0), auto for any interface but this one,"
                    + " or empty for none. Needs forwarding = true and nftables' nft; the rules are in the nftables"
                    + " table inet wirehaven_<name>, which is deleted when the interface goes. A firewall of the host"
                    + " whose forward chain drops by default must still allow the tunnel's traffic.")
    String masquerade() default "";

    @AttributeDefinition(
            name = "Route the peers' subnets",
            required = false,
            description = "Keeps a kernel route into this interface (ip route add <prefix> dev <name> proto 82, main"
                    + " table) for every allowed IP of its peers (static, sessions, wg set) beyond the interface's own"
                    + " subnets, as wg-quick does at up, and removes it when no peer has the prefix any more: a"
                    + " branch LAN that a session admits is reached from the server's side without a postUp route."
                    + " Default routes (0.0.0.0/0, ::/0) are never added: they would take the host's own default"
                    + " route. A route to the same prefix that exists already is left alone. Set to false to route"
                    + " yourself.")
    boolean routePeerSubnets() default true;
}

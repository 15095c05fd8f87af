package dev.wirehaven.interfaces.internal.wgquickimport;

import dev.wirehaven.interfaces.internal.wireguard.InterfaceSettings;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import dev.wirehaven.wireguard.wgquick.InterfaceSection;
import dev.wirehaven.wireguard.wgquick.PeerSection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The routes to the peers that wg-quick's {@code Table} makes, as the imported interface makes them. */
final class PeerRoutes {

    private PeerRoutes() {}

    /**
     * What wg-quick's {@code Table} does: with {@code auto} (the default) it routes every allowed IP
     * of the peers to the interface unless a route of the interface covers it already (the subnets of
     * its addresses do), which the server does itself ({@code routePeerSubnets}, on by default, and
     * for the peers of sessions too); with a table number or name it routes them into that table,
     * which become postUp commands (and {@code routePeerSubnets = false}, since nothing goes into the
     * main table then); with {@code off} not at all ({@code routePeerSubnets = false}).
     */
    static List<String> of(InterfaceSection s, List<PeerSection> peers, ImportReport report) {
        String table = s.table().orElse("auto");
        if (table.equals("off")) {
            report.imported(
                    "Table",
                    "off: no routes for the peers, as with wg-quick (" + InterfaceSettings.ROUTE_PEER_SUBNETS
                            + " = false)");
            return List.of();
        }
        List<Cidr> onLink = s.addresses().stream().map(InterfaceAddress::subnet).toList();
        List<Cidr> prefixes = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        for (PeerSection peer : peers) {
            for (Cidr prefix : peer.allowedIps()) {
                if (prefix.prefixLength() == 0) {
                    defaults.add(prefix + " (peer " + peer.publicKey().toBase64() + ")");
                } else if (onLink.stream().noneMatch(subnet -> contains(subnet, prefix))
                        && !prefixes.contains(prefix)) {
                    prefixes.add(prefix);
                }
            }
        }
        List<String> commands = new ArrayList<>();
        String described = s.table().isPresent() ? table : "auto, the default";
        if (table.equals("auto")) {
            if (!prefixes.isEmpty()) {
                report.imported(
                        "Table",
                        described + ": the server routes the peers' AllowedIPs beyond the interface's subnets into"
                                + " the interface itself (" + InterfaceSettings.ROUTE_PEER_SUBNETS + ", the default: "
                                + prefixes.stream().map(Cidr::toString).collect(Collectors.joining(", "))
                                + "), and follows the peers as they change");
            } else if (s.table().isPresent()) {
                report.imported(
                        "Table",
                        described + ": nothing to route, every AllowedIPs prefix is inside the interface's subnets");
            }
        } else {
            for (Cidr prefix : prefixes) {
                commands.add(
                        "ip " + (prefix.isIpv4() ? "-4" : "-6") + " route add " + prefix + " dev %i table " + table);
            }
            report.imported(
                    "Table",
                    described + ": "
                            + (commands.isEmpty()
                                    ? "nothing to route, every AllowedIPs prefix is inside the interface's subnets"
                                    : "the routes that wg-quick adds for the peers' AllowedIPs beyond the interface's"
                                            + " subnets become the first postUp commands ("
                                            + String.join("; ", commands)
                                            + "); they are not changed when the peers change later")
                            + "; " + InterfaceSettings.ROUTE_PEER_SUBNETS + " = false, so that the server adds"
                            + " none to the main table");
        }
        if (!defaults.isEmpty()) {
            report.notImported(
                    "AllowedIPs",
                    String.join(", ", defaults) + ": wg-quick would send all of this"
                            + " machine's traffic through that peer (with a policy rule and its own table); a server does"
                            + " not, so no route was made. Add such routing to postUp yourself if you mean it");
        }
        return commands;
    }

    private static boolean contains(Cidr subnet, Cidr prefix) {
        return subnet.isIpv4() == prefix.isIpv4()
                && subnet.prefixLength() <= prefix.prefixLength()
                && new Cidr(prefix.address(), subnet.prefixLength()).equals(subnet);
    }
}

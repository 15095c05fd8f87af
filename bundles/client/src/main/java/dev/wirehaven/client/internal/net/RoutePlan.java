package dev.wirehaven.client.internal.net;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.IpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ip} commands that route a tunnel's prefixes, each with the command that undoes it.
 *
 * <p>A split tunnel whose prefixes leave the server alone gets plain routes in the main table, as
 * wg-quick does: longest-prefix match keeps working across tunnel and LAN routes.
 *
 * <p>A full tunnel (a {@code /0} prefix), or a split one with a prefix that contains the server's
 * own address, must keep the server reachable outside the tunnel, or the tunnel's UDP and the
 * control API would be routed into the tunnel itself. Two ways were weighed. A host route to the
 * server via the current gateway pins a gateway that can change under the client (another Wi-Fi,
 * DHCP), and would need watching and redoing. Policy routing does not: the tunnel's prefixes go
 * into their own table, and rules send everything except the server there. wg-quick marks the
 * tunnel's UDP socket with a fwmark and exempts the mark; this client also needs its HTTPS calls
 * (keep-alives, diagnosis, reconnect) to bypass a tunnel that may be broken, so it exempts the
 * server's addresses instead ({@code to <server> lookup main}), which covers both the UDP endpoint
 * and the API and always follows whatever the main table says now. As in wg-quick,
 * {@code lookup main suppress_prefixlength 0} lets the main table's more specific routes (the LAN)
 * win over the tunnel's default route. When the main table has no route to the server (the link is
 * down), a lookup there falls through to the next rule, which would send the tunnel's own UDP into the
 * tunnel, round and round; a second rule, {@code to <server> unreachable}, stops that with "network
 * unreachable" (wg-quick's fwmark rule does the same by never letting marked packets reach the tunnel's
 * table). The price of the whole scheme: other traffic to the server's address also stays outside the
 * tunnel.
 */
public record RoutePlan(boolean policyRouting, int table, List<Step> steps) {

    /** Priority of the rules that keep the server's addresses on the main table. */
    static final int PRIORITY_KEEP_OUTSIDE = 32760;
    /** Priority of the rules that refuse the server's addresses when the main table has no route to them. */
    static final int PRIORITY_NEVER_INTO_TUNNEL = 32761;
    /** Priority of the rule that lets the main table's non-default routes win. */
    static final int PRIORITY_MAIN_SPECIFIC = 32762;
    /** Priority of the rule that sends the rest into the tunnel's table (just before the main table's 32766). */
    static final int PRIORITY_TUNNEL = 32763;

    /** One command and its undo; both are argument lists for {@link Ip}. */
    public record Step(List<String> apply, List<String> undo) {
        public Step {
            apply = List.copyOf(apply);
            undo = List.copyOf(undo);
        }

        /** True for a rule, which outlives the interface and must be undone even after a crash. */
        public boolean isRule() {
            return apply.size() > 1 && apply.get(1).equals("rule");
        }
    }

    public RoutePlan {
        steps = List.copyOf(steps);
    }

    /** The plan for {@code routes} through {@code iface}; {@code table} is used only with policy routing. */
    public static RoutePlan of(String iface, List<Cidr> routes, List<InetAddress> keepOutside, int table) {
        boolean policy = routes.stream().anyMatch(r -> r.prefixLength() == 0)
                || routes.stream().anyMatch(r -> keepOutside.stream().anyMatch(a -> contains(r, a)));
        List<Step> steps = new ArrayList<>();
        if (!policy) {
            for (Cidr r : routes) {
                String f = family(r);
                steps.add(new Step(
                        List.of(f, "route", "replace", r.toString(), "dev", iface),
                        List.of(f, "route", "del", r.toString(), "dev", iface)));
            }
            return new RoutePlan(false, table, steps);
        }
        String t = Integer.toString(table);
        for (String f : List.of("-4", "-6")) {
            List<Cidr> ofFamily =
                    routes.stream().filter(r -> family(r).equals(f)).toList();
            if (ofFamily.isEmpty()) {
                continue;
            }
            for (Cidr r : ofFamily) {
                steps.add(new Step(
                        List.of(f, "route", "replace", r.toString(), "dev", iface, "table", t),
                        List.of(f, "route", "del", r.toString(), "dev", iface, "table", t)));
            }
            for (InetAddress a : keepOutside) {
                if (family(a).equals(f)) {
                    String host = IpAddresses.format(a) + (a instanceof Inet4Address ? "/32" : "/128");
                    steps.add(rule(f, List.of("to", host, "lookup", "main"), PRIORITY_KEEP_OUTSIDE));
                    steps.add(rule(f, List.of("to", host, "unreachable"), PRIORITY_NEVER_INTO_TUNNEL));
                }
            }
            steps.add(rule(f, List.of("lookup", "main", "suppress_prefixlength", "0"), PRIORITY_MAIN_SPECIFIC));
            steps.add(rule(f, List.of("lookup", t), PRIORITY_TUNNEL));
        }
        return new RoutePlan(true, table, steps);
    }

    /** The rules of the plan (they outlive the interface). */
    public List<Step> rules() {
        return steps.stream().filter(Step::isRule).toList();
    }

    private static Step rule(String family, List<String> selectorAndAction, int priority) {
        List<String> add = new ArrayList<>(List.of(family, "rule", "add"));
        add.addAll(selectorAndAction);
        add.addAll(List.of("pref", Integer.toString(priority)));
        List<String> del = new ArrayList<>(List.of(family, "rule", "del"));
        del.addAll(selectorAndAction);
        del.addAll(List.of("pref", Integer.toString(priority)));
        return new Step(add, del);
    }

    /** Whether prefix {@code r} contains address {@code a}. */
    static boolean contains(Cidr r, InetAddress a) {
        return r.address().getAddress().length == a.getAddress().length && new Cidr(a, r.prefixLength()).equals(r);
    }

    private static String family(Cidr r) {
        return r.isIpv4() ? "-4" : "-6";
    }

    private static String family(InetAddress a) {
        return a instanceof Inet4Address ? "-4" : "-6";
    }
}

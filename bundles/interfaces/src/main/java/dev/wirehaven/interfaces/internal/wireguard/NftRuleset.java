package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nftables text of one interface's masquerade: a table of its own, {@code inet
 * wirehaven_<interface>}, that nothing else writes to and that is deleted as a whole.
 *
 * <pre>
 * table inet wirehaven_wg0
 * delete table inet wirehaven_wg0
 * table inet wirehaven_wg0 {
 * 	chain forward {
 * 		type filter hook forward priority filter; policy accept;
 * 		iifname "wg0" oifname "eth0" accept
 * 		iifname "eth0" oifname "wg0" ct state established,related accept
 * 	}
 * 	chain postrouting {
 * 		type nat hook postrouting priority srcnat; policy accept;
 * 		oifname "eth0" ip saddr 10.8.0.0/24 masquerade
 * 		oifname "eth0" ip6 saddr fd00:8::/64 masquerade
 * 	}
 * }
 * </pre>
 *
 * <p>The first two lines make {@code nft -f -} replace a table of the same name that a crashed
 * server left behind, in the same transaction: declaring a table that exists changes nothing, and
 * one that does not exist is created only to be deleted. The ruleset is applied atomically or not
 * at all.
 *
 * <p>Masqueraded is what leaves through the named interface ({@code auto}: through any interface but
 * the WireGuard one) with a source address in one of the interface's own subnets, one rule per
 * subnet. The forward chain accepts the tunnel's way out and the answers on the way back. It does
 * not override another table's forward chain with a drop policy: nftables runs every base chain of
 * a hook, and a drop in any of them is final ({@link #droppingForwardChains} finds such chains).
 */
final class NftRuleset {

    static final String FAMILY = "inet";
    static final String TABLE_PREFIX = "wirehaven_";

    private NftRuleset() {}

    /** {@code wirehaven_<interface>}. */
    static String table(String iface) {
        return TABLE_PREFIX + iface;
    }

    /** The interface's own subnets, IPv4 first, each once, in the configured order otherwise. */
    static List<Cidr> subnets(List<InterfaceAddress> addresses) {
        Set<Cidr> v4 = new LinkedHashSet<>();
        Set<Cidr> v6 = new LinkedHashSet<>();
        for (InterfaceAddress address : addresses) {
            (address.isIpv4() ? v4 : v6).add(address.subnet());
        }
        List<Cidr> all = new ArrayList<>(v4);
        all.addAll(v6);
        return all;
    }

    /** The whole text for {@code nft -f -} (see the class comment). */
    static String masquerade(String iface, Masquerade masquerade, List<InterfaceAddress> addresses) {
        if (!masquerade.isOn()) {
            throw new IllegalArgumentException("no masquerade");
        }
        String wg = quoted(iface);
        String toOut;
        String fromOut;
        if (masquerade.mode() == Masquerade.Mode.AUTO) {
            toOut = "oifname != " + wg;
            fromOut = "iifname != " + wg;
        } else {
            String out = quoted(masquerade.outInterface());
            toOut = "oifname " + out;
            fromOut = "iifname " + out;
        }
        String table = FAMILY + " " + table(iface);
        StringBuilder text = new StringBuilder();
        text.append("table ").append(table).append('\n');
        text.append("delete table ").append(table).append('\n');
        text.append("table ").append(table).append(" {\n");
        text.append("\tchain forward {\n");
        text.append("\t\ttype filter hook forward priority filter; policy accept;\n");
        text.append("\t\tiifname ").append(wg).append(' ').append(toOut).append(" accept\n");
        text.append("\t\t")
                .append(fromOut)
                .append(" oifname ")
                .append(wg)
                .append(" ct state established,related accept\n");
        text.append("\t}\n");
        text.append("\tchain postrouting {\n");
        text.append("\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        for (Cidr subnet : subnets(addresses)) {
            text.append("\t\t")
                    .append(toOut)
                    .append(subnet.isIpv4() ? " ip saddr " : " ip6 saddr ")
                    .append(subnet)
                    .append(" masquerade\n");
        }
        text.append("\t}\n");
        text.append("}\n");
        return text.toString();
    }

    /**
     * The text for {@code nft -f -} that deletes the table, whether it exists or not (which {@code nft
     * delete table} alone would report as an error).
     */
    static String delete(String iface) {
        String table = FAMILY + " " + table(iface);
        return "table " + table + "\ndelete table " + table + "\n";
    }

    /**
     * The base chains of the forward hook, in tables other than {@code ownTable}, whose policy is
     * drop, as {@code table <family> <name> chain <name>}, from the output of {@code nft list chains}.
     */
    static List<String> droppingForwardChains(String listChains, String ownTable) {
        List<String> found = new ArrayList<>();
        String table = null;
        String chain = null;
        for (String raw : listChains.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("table ") && line.endsWith("{")) {
                table = line.substring("table ".length(), line.length() - 1).strip();
                chain = null;
            } else if (line.startsWith("chain ") && line.endsWith("{")) {
                chain = line.substring("chain ".length(), line.length() - 1).strip();
            } else if (table != null
                    && chain != null
                    && line.contains("hook forward ")
                    && line.replace(" ", "").contains("policydrop;")
                    && !table.equals(FAMILY + " " + ownTable)) {
                found.add("table " + table + " chain " + chain);
            }
        }
        return found;
    }

    /** An interface name is a validated name (no quote, no backslash): it goes between quotes as it is. */
    private static String quoted(String name) {
        if (!InterfaceSettings.isValidName(name)) {
            throw new IllegalArgumentException("not an interface name: '" + name + "'");
        }
        return '"' + name + '"';
    }
}

package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.tun.IpCommand;
import dev.wirehaven.wireguard.Cidr;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's main routing table, as far as {@link PeerRoutes} needs it: routes of one interface
 * marked with the server's own protocol number {@value #PROTO}, so that they can be told apart from
 * any other route to the same prefix. {@link #system()} is the machine's ({@code ip}); tests keep a
 * table in memory.
 */
interface RouteTable {

    /**
     * The {@code proto} of the routes the server adds (iproute2 shows the number: {@code proto 82};
     * {@code echo "82 wirehaven" > /etc/iproute2/rt_protos.d/wirehaven.conf} names it). Unassigned in
     * iproute2's {@code rt_protos} and in the kernel's {@code RTPROT_*}.
     */
    int PROTO = 82;

    /**
     * Adds {@code <prefix> dev <iface> proto 82} to the main table, unless a route to that prefix is
     * there already (whoever added it: {@code ip route add} without {@code replace}).
     *
     * @return {@code false} when a route to the prefix exists (the kernel's "File exists"); it is left as it is
     * @throws IOException naming the command and {@code ip}'s message
     */
    boolean add(String iface, Cidr prefix) throws IOException;

    /**
     * Deletes the server's route {@code <prefix> dev <iface> proto 82}; a route that is gone already
     * (or whose interface is) is no error. A route of someone else's to the prefix is not deleted:
     * the kernel matches the protocol.
     *
     * @throws IOException naming the command and {@code ip}'s message
     */
    void remove(String iface, Cidr prefix) throws IOException;

    /**
     * The prefixes of the server's routes ({@code proto 82}) on {@code iface}, IPv4 and IPv6.
     *
     * @throws IOException naming the command and {@code ip}'s message
     */
    Set<Cidr> list(String iface) throws IOException;

    /** The machine's, through {@code ip} ({@link IpCommand}: no shell, a timeout, checked arguments). */
    static RouteTable system() {
        return new RouteTable() {
            private final IpCommand ip = IpCommand.inThisNamespace();

            @Override
            public boolean add(String iface, Cidr prefix) throws IOException {
                try {
                    ip.run(family(prefix), "route", "add", prefix.toString(), "dev", iface, "proto", proto());
                    return true;
                } catch (IOException e) {
                    if (e.getMessage() != null && e.getMessage().contains("File exists")) {
                        return false;
                    }
                    throw e;
                }
            }

            @Override
            public void remove(String iface, Cidr prefix) throws IOException {
                try {
                    ip.run(family(prefix), "route", "del", prefix.toString(), "dev", iface, "proto", proto());
                } catch (IOException e) {
                    String message = e.getMessage() == null ? "" : e.getMessage();
                    // ESRCH: no such route (any more); ENODEV: the interface went, and its routes with it
                    if (!message.contains("No such process") && !message.contains("Cannot find device")) {
                        throw e;
                    }
                }
            }

            @Override
            public Set<Cidr> list(String iface) throws IOException {
                Set<Cidr> prefixes = new LinkedHashSet<>();
                for (String family : List.of("-4", "-6")) {
                    prefixes.addAll(parse(ip.run(family, "route", "show", "dev", iface, "proto", proto())));
                }
                return prefixes;
            }
        };
    }

    /**
     * The prefixes of {@code ip route show} lines: the first word of each ({@code 192.168.30.0/24 scope
     * link}, {@code fd00:30::/64 metric 1024 pref medium}, {@code 192.168.30.7 scope link} for a host
     * route); lines that do not start with a prefix (a route type such as {@code unreachable}) are skipped.
     */
    static Set<Cidr> parse(String output) {
        Set<Cidr> prefixes = new LinkedHashSet<>();
        for (String line : output.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            try {
                prefixes.add(Cidr.parse(words[0]));
            } catch (IllegalArgumentException notAPrefix) {
                // "default", "unreachable", ...: not a route of ours
            }
        }
        return prefixes;
    }

    private static String family(Cidr prefix) {
        return prefix.isIpv4() ? "-4" : "-6";
    }

    private static String proto() {
        return Integer.toString(PROTO);
    }
}

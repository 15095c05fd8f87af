package dev.wirehaven.benchmarks.tunnel;

import dev.wirehaven.tun.LinuxTun;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.UserspaceApi;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.conn.UdpBind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/wirehaven-wg -f IFACE} with access control: creates the TUN interface and the device
 * through the SDK, serves the userspace API so that {@code wg set} configures it, and puts a
 * {@link PeerFilter} of {@code RULES} rules on every peer as soon as it appears (the device snapshot is
 * polled every 100 ms). The per-packet cost of the filter is then what {@code benchmarks/tunnel-throughput.sh}
 * case {@code e} measures against case {@code d} (the same device without filter).
 *
 * <pre>
 * java --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp &lt;the distribution's wirehaven-wireguard, wirehaven-tun,
 *      bcprov and jna jars&gt;:benchmarks/target/classes dev.wirehaven.benchmarks.tunnel.FilteredTunnel IFACE
 * </pre>
 *
 * Environment: {@code RULES} (default 100) the rules per direction, 0 for no filter at all (the
 * harness alone); {@code ALLOW} (default {@code 10.232.0.0/24}, the script's tunnel subnet) the
 * destination of the last rule, the only one that allows anything.
 *
 * <p>The filter has one stage with the same rules in {@code fromPeer} and {@code toPeer}: RULES - 1 rules
 * that never match the benchmark's flows (other /32, /24 and IPv6 destinations, mixed protocols and
 * port ranges, about a third of them deny; some have the benchmark's own destination but another
 * protocol or port, so that the walk also compares protocols and ports), then the rule that allows
 * every protocol toward {@code ALLOW}. So every new flow (iperf3's control and data connections, the
 * script's ping) walks all rules in either direction, and the packets of established flows take the
 * flow table's path, which is the per-packet cost that matters for throughput.
 *
 * <p>Prints one line when it sets a peer's filter ({@code filter set: peer ...}) and, on shutdown, one
 * line per peer with its packet counts, open flows and denials. Stops on SIGTERM/SIGINT, or when the
 * interface or the socket is removed, as {@code wirehaven-wg} does. Not a test: it asserts nothing.
 */
public final class FilteredTunnel {

    /** wireguard-go's default MTU; the script sets 1420 anyway. */
    private static final int MTU = 1420;

    private static final long POLL_MILLIS = 100;
    private static final int WATCH_EVERY_POLLS = 5;
    private static final Path PROC_NET_DEV = Path.of("/proc/self/net/dev");

    private FilteredTunnel() {}

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.isEmpty() && (a.get(0).equals("-f") || a.get(0).equals("--foreground"))) {
            a.remove(0); // always in the foreground; accepted for symmetry with wirehaven-wg
        }
        if (a.size() != 1 || a.get(0).startsWith("-")) {
            System.err.println("usage: FilteredTunnel [-f] INTERFACE   (env RULES=100, ALLOW=10.232.0.0/24)");
            System.exit(2);
            return;
        }
        String iface = a.get(0);
        int rules = Integer.parseInt(env("RULES", "100"));
        Cidr allow = Cidr.parse(env("ALLOW", "10.232.0.0/24"));
        if (rules < 0) {
            throw new IllegalArgumentException("RULES must be 0 or more: " + rules);
        }
        PeerFilter filter = rules == 0 ? null : filter(rules, allow);

        if (interfaceExists(iface)) {
            System.err.println("FilteredTunnel: interface " + iface + " already exists");
            System.exit(1);
            return;
        }
        UserspaceApi.requireNotServed(UserspaceApi.DEFAULT_DIRECTORY, iface);
        TunDevice tun = LinuxTun.open(iface, MTU);
        WireGuardDevice device = WireGuard.createDevice(iface, tun, UdpBind::open, DeviceOptions.defaults());
        UserspaceApi api;
        try {
            api = UserspaceApi.serve(
                    device,
                    UserspaceApi.DEFAULT_DIRECTORY,
                    message -> {},
                    message -> System.err.println("FilteredTunnel: " + message));
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
        System.out.println("FilteredTunnel: " + iface + " up, "
                + (filter == null ? "RULES=0: no filter" : rules + " rules per direction, the last allows " + allow));
        System.out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Object stopLock = new Object();
        boolean[] stopping = {false};
        Runnable stop = () -> {
            synchronized (stopLock) {
                if (stopping[0]) {
                    return;
                }
                stopping[0] = true;
            }
            summary(device);
            api.close();
            device.close();
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "filtered-tunnel-shutdown"));

        int polls = 0;
        while (!stopped.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            try {
                // with RULES=0 only the snapshot: the harness's own cost, the same as with a filter
                filterNewPeers(device, filter, rules);
            } catch (ConfigException | RuntimeException e) {
                synchronized (stopLock) {
                    if (stopping[0]) {
                        break; // the device closed under us
                    }
                }
                System.err.println("FilteredTunnel: cannot set the filter: " + e);
            }
            if (++polls % WATCH_EVERY_POLLS == 0 && (!api.socketPresent() || !interfaceExists(iface))) {
                System.out.println("FilteredTunnel: the interface or its socket was removed; stopping");
                stop.run();
                return;
            }
        }
    }

    /**
     * Sets the filter on every peer that has none (a new peer, or one re-added by replace_peers);
     * with {@code filter} null only takes the snapshot.
     */
    private static void filterNewPeers(WireGuardDevice device, PeerFilter filter, int rules) throws ConfigException {
        for (PeerSnapshot p : device.snapshot().peers()) {
            if (filter == null || p.filtered()) {
                continue;
            }
            Key key = p.publicKey();
            boolean[] set = {false};
            device.configure(tx -> {
                PeerConfigurator peer = tx.peer(key, true); // update only: never re-create a peer just removed
                if (peer != null) {
                    peer.filter(filter);
                    set[0] = true;
                }
            });
            if (set[0]) {
                System.out.println("FilteredTunnel: filter set: peer " + shortKey(key) + ", " + rules
                        + " rules in fromPeer and toPeer");
                System.out.flush();
            }
        }
    }

    private static void summary(WireGuardDevice device) {
        try {
            for (PeerSnapshot p : device.snapshot().peers()) {
                System.out.printf(
                        Locale.ROOT,
                        "FilteredTunnel: peer %s filtered=%s open_flows=%d rx_packets=%d tx_packets=%d denied=%s%n",
                        shortKey(p.publicKey()),
                        p.filtered(),
                        p.openFlows(),
                        p.rxPackets(),
                        p.txPackets(),
                        p.deniedByRule());
            }
            System.out.flush();
        } catch (RuntimeException e) {
            System.err.println("FilteredTunnel: no summary: " + e);
        }
    }

    /**
     * {@code n - 1} rules that the benchmark's flows (toward {@code allow}: iperf3 TCP to port 5201 and
     * ICMP echo) never match, then one that allows everything toward {@code allow}.
     */
    public static PeerFilter filter(int n, Cidr allow) {
        List<FlowRule> rules = new ArrayList<>(n);
        for (int i = 0; i < n - 1; i++) {
            int x = i / 250;
            int y = i % 250 + 1;
            String name = String.format(Locale.ROOT, "rule-%03d", i);
            rules.add(
                    switch (i % 6) {
                        // another host, every protocol, denied
                        case 0 -> FlowRule.anyTo(name, false, Cidr.parse("10.200." + x + "." + y + "/32"));
                        // another /24, TCP to a port range
                        case 1 ->
                            new FlowRule(
                                    name,
                                    true,
                                    Cidr.parse("172.16." + y + ".0/24"),
                                    6,
                                    1000 + i % 1000,
                                    1100 + i % 1000);
                        // another host, UDP to DNS
                        case 2 -> new FlowRule(name, true, Cidr.parse("192.168." + x + "." + y + "/32"), 17, 53, 53);
                        // the benchmark's own network, but TCP to ports iperf3 does not use, denied
                        case 3 -> new FlowRule(name, false, allow, 6, 6000 + i % 1000, 6000 + i % 1000);
                        // the benchmark's own network, but UDP
                        case 4 -> new FlowRule(name, true, allow, 17, 1, 65535);
                        // IPv6, every protocol
                        default -> FlowRule.anyTo(name, true, Cidr.parse("fd00:" + Integer.toHexString(i) + "::/48"));
                    });
        }
        rules.add(FlowRule.anyTo("benchmark", true, allow));
        return new PeerFilter(List.of(rules), List.of(rules));
    }

    private static String shortKey(Key key) {
        return key.toBase64().substring(0, 8) + "...";
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** As in {@code wirehaven-wg}: {@code /proc/self/net/dev} lists this namespace's interfaces. */
    private static boolean interfaceExists(String iface) {
        try {
            for (String line : Files.readAllLines(PROC_NET_DEV, StandardCharsets.US_ASCII)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(iface)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // cannot tell; keep running
        }
    }
}

package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's routes to one interface, kept in step with its device's peers ({@value
 * InterfaceSettings#ROUTE_PEER_SUBNETS}): what wg-quick does at up for the peers of its file, done
 * for the peers that the device has now, wherever they came from (static peers, the session flow's,
 * {@code wg set}). Without it the host never hands the device a packet for a branch's LAN that a
 * session admitted: the device would route it to the peer, but the kernel does not route it to the device.
 *
 * <p>Which prefixes: every allowed IP of every peer, except
 * <ul>
 * <li>those inside a subnet of the interface's own {@code addresses} (a client's {@code 10.8.0.2/32}):
 *     the kernel routes these already, with the address;
 * <li>default routes, {@code 0.0.0.0/0} and {@code ::/0}: a server's peer with one is a hub or the
 *     server side of a full-tunnel client; routing it would take the host's own default route (and
 *     with it the way to the peers' endpoints) into the tunnel.
 * </ul>
 *
 * <p>How: {@code ip route add <prefix> dev <iface> proto 82} in the main table ({@link RouteTable}).
 * Not {@code replace}: a route to the same prefix that is there already (an operator's, a postUp's,
 * another interface's connected subnet) is left as it is, and is not ours to remove later; it is
 * tried again every {@link #RETRY} (the operator may delete it), and said once. Only the routes in
 * {@link #ours()} are ever deleted, and only with their protocol, so that a route of someone else's
 * to the same prefix is never the one that goes. Once every {@link #RETRY} the routes of ours that
 * the kernel still has are listed: one that went (the interface was set down, an {@code ip route
 * del}) is added again.
 *
 * <p>When: {@link #sync()} at up (after postUp, so that a postUp that adds such a route itself, as
 * the advice was before, does not fail with "File exists"), after each change of the static peers,
 * and every {@link #PERIOD} on a daemon thread of its own, since the session flow adds and removes
 * its peers through the device service, which tells nobody. A failing {@code ip} is logged once per
 * prefix and never takes the interface down. When the interface goes, its routes go with it in the
 * kernel; {@link #close()} only forgets them.
 */
final class PeerRoutes implements AutoCloseable {

    /** How often the device's peers are compared with the routes. */
    static final Duration PERIOD = Duration.ofSeconds(1);

    /** How often a prefix that could not be routed is tried again, and the kernel's routes of ours are checked. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(PeerRoutes.class);

    /** Why a wanted prefix has no route of ours, and since when. */
    private record Skipped(boolean exists, String problem, long sinceNanos) {}

    private final String iface;
    private final WireGuardDevice device;
    private final List<Cidr> ownSubnets;
    private final RouteTable table;
    private final LongSupplier nanoTime;
    private ScheduledExecutorService scheduler;

    // guarded by this
    private boolean enabled;
    private boolean closed;
    private final Set<Cidr> ours = new LinkedHashSet<>();
    private final Map<Cidr, Skipped> skipped = new HashMap<>();
    private long lastCheckNanos;
    private boolean tickFailureLogged;

    PeerRoutes(InterfaceSettings settings, WireGuardDevice device, RouteTable table, LongSupplier nanoTime) {
        this.iface = settings.name();
        this.device = device;
        this.ownSubnets =
                settings.addresses().stream().map(InterfaceAddress::subnet).toList();
        this.table = table;
        this.nanoTime = nanoTime;
        this.enabled = settings.routePeerSubnets();
        this.lastCheckNanos = nanoTime.getAsLong();
    }

    /** Syncs now, then every {@link #PERIOD} on a daemon thread until {@link #close()}. */
    synchronized void start() {
        sync();
        if (scheduler == null && !closed) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread t = new Thread(task, "wirehaven-routes-" + iface);
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::tick, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Turns the routes on or off ({@value InterfaceSettings#ROUTE_PEER_SUBNETS}); off removes ours. */
    synchronized void enabled(boolean on) {
        if (on == enabled) {
            return;
        }
        enabled = on;
        LOG.info(
                "WireGuard interface {}: {} = {}: {}",
                iface,
                InterfaceSettings.ROUTE_PEER_SUBNETS,
                on,
                on
                        ? "the peers' subnets are routed into the interface"
                        : "the routes it added for the peers' subnets are removed, and none are added");
        sync();
    }

    /**
     * Makes the routes of ours those that the device's peers need now: adds the missing, removes
     * those whose prefix no peer has any more. Never throws.
     */
    synchronized void sync() {
        if (closed) {
            return;
        }
        Map<Cidr, Key> wanted = enabled ? wanted(device.snapshot().peers(), ownSubnets) : Map.of();
        long now = nanoTime.getAsLong();
        boolean check = now - lastCheckNanos >= RETRY.toNanos();
        if (check) {
            lastCheckNanos = now;
            checkOurs();
        }
        for (Cidr prefix : List.copyOf(ours)) {
            if (!wanted.containsKey(prefix)) {
                remove(prefix);
            }
        }
        skipped.keySet().retainAll(wanted.keySet());
        for (Map.Entry<Cidr, Key> entry : wanted.entrySet()) {
            Cidr prefix = entry.getKey();
            if (ours.contains(prefix)) {
                continue;
            }
            Skipped before = skipped.get(prefix);
            if (before != null && now - before.sinceNanos() < RETRY.toNanos()) {
                continue;
            }
            add(prefix, entry.getValue(), before, now);
        }
    }

    /** Stops the periodic sync and forgets the routes: the kernel removes them with the interface. */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            // a sync in progress finishes first (it holds the lock); later ticks find it closed
            closed = true;
            ours.clear();
            skipped.clear();
            stopping = scheduler;
            scheduler = null;
        }
        if (stopping != null) {
            stopping.shutdown();
        }
    }

    /** The prefixes routed by us now, for tests. */
    synchronized Set<Cidr> ours() {
        return Set.copyOf(ours);
    }

    /**
     * The prefixes that the peers need routed, each with a peer that has it (for the log): every
     * allowed IP outside {@code ownSubnets} that is not a default route.
     */
    static Map<Cidr, Key> wanted(List<PeerSnapshot> peers, List<Cidr> ownSubnets) {
        Map<Cidr, Key> wanted = new LinkedHashMap<>();
        for (PeerSnapshot peer : peers) {
            for (Cidr prefix : peer.allowedIps()) {
                if (prefix.prefixLength() > 0 && ownSubnets.stream().noneMatch(s -> contains(s, prefix))) {
                    wanted.putIfAbsent(prefix, peer.publicKey());
                }
            }
        }
        return wanted;
    }

    /** Whether {@code prefix} lies inside {@code subnet} (same family, at least as long, same leading bits). */
    static boolean contains(Cidr subnet, Cidr prefix) {
        return subnet.isIpv4() == prefix.isIpv4()
                && subnet.prefixLength() <= prefix.prefixLength()
                && new Cidr(prefix.address(), subnet.prefixLength()).equals(subnet);
    }

    private void tick() {
        try {
            sync();
            tickFailureLogged = false;
        } catch (RuntimeException e) {
            // the scheduler would stop for good on a thrown exception: said once, tried again at the next tick
            if (!tickFailureLogged) {
                tickFailureLogged = true;
                LOG.warn("WireGuard interface {}: cannot compare its routes with its peers: {}", iface, e.toString());
            }
        }
    }

    private void add(Cidr prefix, Key peer, Skipped before, long now) {
        try {
            if (table.add(iface, prefix)) {
                ours.add(prefix);
                skipped.remove(prefix);
                LOG.info(
                        "WireGuard interface {}: route {} dev {} proto {} added (an allowed IP of peer {})",
                        iface,
                        prefix,
                        iface,
                        RouteTable.PROTO,
                        peer.toBase64());
                return;
            }
            if (before == null || !before.exists()) {
                LOG.info(
                        "WireGuard interface {}: a route to {} (an allowed IP of peer {}) exists already and is left"
                                + " as it is; make sure it leads to {} (ip route show {})",
                        iface,
                        prefix,
                        peer.toBase64(),
                        iface,
                        prefix);
            }
            skipped.put(prefix, new Skipped(true, null, now));
        } catch (IOException | RuntimeException e) {
            String problem = e.getMessage();
            if (before == null || before.exists() || !String.valueOf(problem).equals(before.problem())) {
                LOG.warn(
                        "WireGuard interface {}: cannot route {} (an allowed IP of peer {}) into the interface: {};"
                                + " tried again every {} s. Add the route yourself, or set {} = false if you route"
                                + " the peers' subnets otherwise",
                        iface,
                        prefix,
                        peer.toBase64(),
                        problem,
                        RETRY.toSeconds(),
                        InterfaceSettings.ROUTE_PEER_SUBNETS);
            }
            skipped.put(prefix, new Skipped(false, String.valueOf(problem), now));
        }
    }

    private void remove(Cidr prefix) {
        ours.remove(prefix);
        try {
            table.remove(iface, prefix);
            LOG.info("WireGuard interface {}: route {} dev {} removed (no peer has it any more)", iface, prefix, iface);
        } catch (IOException | RuntimeException e) {
            // said once: the prefix is no longer ours to retry, and the route goes with the interface at the latest
            LOG.warn(
                    "WireGuard interface {}: cannot remove route {} dev {} proto {} (no peer has it any more): {};"
                            + " remove it with: ip route del {} dev {} proto {}",
                    iface,
                    prefix,
                    iface,
                    RouteTable.PROTO,
                    e.getMessage(),
                    prefix,
                    iface,
                    RouteTable.PROTO);
        }
    }

    /** Forgets routes of ours that the kernel no longer has, so that they are added again. */
    private void checkOurs() {
        if (ours.isEmpty()) {
            return;
        }
        Set<Cidr> present;
        try {
            present = table.list(iface);
        } catch (IOException | RuntimeException e) {
            LOG.debug("WireGuard interface {}: cannot list its routes: {}", iface, e.getMessage());
            return;
        }
        for (Cidr prefix : List.copyOf(ours)) {
            if (!present.contains(prefix)) {
                ours.remove(prefix);
                LOG.info(
                        "WireGuard interface {}: route {} dev {} was removed by someone else;"
                                + " it is added again while a peer has it (set {} = false to route yourself)",
                        iface,
                        prefix,
                        iface,
                        InterfaceSettings.ROUTE_PEER_SUBNETS);
            }
        }
    }
}

package dev.wirehaven.client.internal.net;

import dev.wirehaven.client.HostNetwork;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A Linux host's network for one tunnel interface: its addresses, MTU and link state, its routes and
 * policy rules through a {@link RoutePlan}, all with the system's {@code ip} ({@link Ip}, never one found
 * on {@code PATH}), DNS through {@link ResolvConf}, and an {@link UndoJournal} of what would outlive a
 * crash.
 */
public final class LinuxHostNetwork implements HostNetwork {

    /** The first routing table tried for a full tunnel, as wg-quick (the WireGuard port). */
    static final int FIRST_TABLE = 51820;
    /** How many tables from {@link #FIRST_TABLE} on are tried (and accepted in an undo journal). */
    static final int TABLES = 1000;

    private final String iface;
    private final Ip ip;
    private final ResolvConf dns;
    private final UndoJournal journal;
    private final Consumer<String> notices;
    private NetworkSettings settings;
    private RoutePlan plan;
    private boolean closed;

    private LinuxHostNetwork(String iface, Ip ip, ResolvConf dns, UndoJournal journal, Consumer<String> notices) {
        this.iface = iface;
        this.ip = ip;
        this.dns = dns;
        this.journal = journal;
        this.notices = notices;
    }

    /**
     * Sets the interface's addresses and MTU, brings it up, routes the tunnel's prefixes and sets DNS.
     * On failure, undoes what it did and throws.
     */
    public static LinuxHostNetwork configure(
            String iface,
            NetworkSettings settings,
            Ip ip,
            ResolvConf dns,
            UndoJournal journal,
            Consumer<String> notices)
            throws IOException {
        LinuxHostNetwork n = new LinuxHostNetwork(iface, ip, dns, journal, notices);
        try {
            n.setUp(settings);
            return n;
        } catch (IOException | RuntimeException e) {
            try {
                n.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The first configuration, under the same lock as every later change, so that they see its state. */
    private synchronized void setUp(NetworkSettings first) throws IOException {
        ip.setMtu(iface, first.mtu());
        for (InterfaceAddress a : first.addresses()) {
            ip.addAddress(iface, a.toString());
        }
        ip.up(iface);
        plan = RoutePlan.of(iface, List.of(), List.of(), FIRST_TABLE);
        route(first);
        setDns(first);
        settings = first;
    }

    @Override
    public synchronized NetworkSettings settings() {
        return settings;
    }

    @Override
    public synchronized void update(NetworkSettings next) throws IOException {
        if (closed) {
            throw new IOException("the network configuration of " + iface + " was already restored");
        }
        if (next.mtu() != settings.mtu()) {
            ip.setMtu(iface, next.mtu());
        }
        Set<InterfaceAddress> before = new HashSet<>(settings.addresses());
        Set<InterfaceAddress> after = new HashSet<>(next.addresses());
        for (InterfaceAddress a : settings.addresses()) {
            if (!after.contains(a)) {
                ip.removeAddress(iface, a.toString());
            }
        }
        for (InterfaceAddress a : next.addresses()) {
            if (!before.contains(a)) {
                ip.addAddress(iface, a.toString());
            }
        }
        route(next);
        if (!next.dnsServers().equals(settings.dnsServers())
                || !next.searchDomains().equals(settings.searchDomains())) {
            setDns(next);
        }
        settings = next;
    }

    /** Moves from the current plan to the one for {@code next}: undoes the steps that go, applies the new ones. */
    private void route(NetworkSettings next) throws IOException {
        RoutePlan wanted = RoutePlan.of(
                iface, next.routes(), next.keepOutside(), plan.policyRouting() ? plan.table() : FIRST_TABLE);
        if (wanted.policyRouting() && !plan.policyRouting()) {
            wanted = RoutePlan.of(iface, next.routes(), next.keepOutside(), freeTable());
        }
        List<RoutePlan.Step> going = new ArrayList<>(plan.steps());
        going.removeAll(wanted.steps());
        List<RoutePlan.Step> coming = new ArrayList<>(wanted.steps());
        coming.removeAll(plan.steps());
        // journal first: a crash between a rule and its journal line would leave a rule nobody knows about
        writeJournal(plan, wanted);
        List<RoutePlan.Step> applied = new ArrayList<>();
        try {
            for (RoutePlan.Step s : coming) {
                ip.run(s.apply());
                applied.add(s);
            }
        } catch (IOException | RuntimeException e) {
            for (int i = applied.size() - 1; i >= 0; i--) {
                ip.tryRun(applied.get(i).undo());
            }
            writeJournal(plan, plan);
            throw e;
        }
        for (int i = going.size() - 1; i >= 0; i--) {
            ip.tryRun(going.get(i).undo());
        }
        plan = wanted;
        writeJournal(plan, plan);
        if (wanted.policyRouting() && !coming.isEmpty()) {
            notices.accept("Routing " + next.routes() + " through " + iface + " (table " + wanted.table()
                    + "); the server ("
                    + next.keepOutside().stream().map(IpAddresses::format).collect(Collectors.joining(", "))
                    + ") stays outside the tunnel");
        }
    }

    private void setDns(NetworkSettings next) throws IOException {
        dns.apply(next.dnsServers(), next.searchDomains());
        writeJournal(plan, plan);
    }

    private void writeJournal(RoutePlan current, RoutePlan next) throws IOException {
        Set<List<String>> rules = new LinkedHashSet<>();
        for (RoutePlan.Step s : current.rules()) {
            rules.add(s.apply());
        }
        for (RoutePlan.Step s : next.rules()) {
            rules.add(s.apply());
        }
        List<UndoJournal.Entry> entries = new ArrayList<>();
        List<List<String>> ordered = new ArrayList<>(rules);
        for (int i = ordered.size() - 1; i >= 0; i--) {
            entries.add(UndoJournal.Rule.of(ordered.get(i)));
        }
        entries.addAll(dns.journal());
        journal.write(entries);
    }

    /** The first table from 51820 on that holds no route of either family, as wg-quick picks it. */
    private int freeTable() {
        for (int t = FIRST_TABLE; t < FIRST_TABLE + TABLES; t++) {
            if (empty(List.of("-4", "route", "show", "table", Integer.toString(t)))
                    && empty(List.of("-6", "route", "show", "table", Integer.toString(t)))) {
                return t;
            }
        }
        return FIRST_TABLE;
    }

    private boolean empty(List<String> show) {
        try {
            return ip.run(show).isBlank();
        } catch (IOException | RuntimeException e) {
            return true; // no IPv6 on this host, or no such table: nothing in it
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        if (plan != null) {
            List<RoutePlan.Step> steps = plan.steps();
            for (int i = steps.size() - 1; i >= 0; i--) {
                RoutePlan.Step s = steps.get(i);
                // routes through the interface may be gone with it already; rules must go
                if (!ip.tryRun(s.undo()) && s.isRule() && first == null) {
                    first = new IOException("could not remove the rule 'ip " + String.join(" ", s.apply()) + "'");
                }
            }
        }
        try {
            String left = dns.restore();
            if (left != null) {
                notices.accept(left);
            }
        } catch (IOException e) {
            if (first == null) {
                first = new IOException("could not restore DNS: " + e.getMessage(), e);
            }
        }
        if (first == null) {
            journal.delete();
            return;
        }
        throw first;
    }
}

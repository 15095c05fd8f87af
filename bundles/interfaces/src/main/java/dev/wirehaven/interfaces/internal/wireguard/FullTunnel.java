package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.wireguard.Cidr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@value InterfaceSettings#FORWARDING} and {@value InterfaceSettings#MASQUERADE} put on the
 * host for one interface, and take off it again: the kernel's forwarding and the interface's own
 * nftables table, so that a client whose whole traffic goes through the tunnel reaches the internet
 * through the server without a line of iptables in postUp.
 *
 * <p>Forwarding, while the interface is up:
 * <ul>
 * <li>IPv4: {@code net.ipv4.conf.<wg>.forwarding=1} (the kernel decides per incoming interface),
 *     and for the way back {@code net.ipv4.conf.<out>.forwarding=1} when masquerade names the
 *     outgoing interface, else (auto, or no masquerade: answers may come in anywhere) the global
 *     {@code net.ipv4.conf.all.forwarding=1} ({@code net.ipv4.ip_forward});
 * <li>IPv6, when the interface has an IPv6 address: {@code net.ipv6.conf.<wg>.force_forwarding=1}
 *     and {@code net.ipv6.conf.<out>.force_forwarding=1} when masquerade names the outgoing
 *     interface and the kernel has these per-interface switches (Linux 6.17), else the global
 *     {@code net.ipv6.conf.all.forwarding=1} (the kernel forwards IPv6 only then).
 * </ul>
 * Each is written only if it has another value, and given back when the interface goes, only if the
 * server changed it ({@link Sysctls}, shared by all interfaces of the server).
 *
 * <p>Masquerade: the table {@code inet wirehaven_<wg>} of {@link NftRuleset}, applied with {@code
 * nft -f -}, replacing a table of that name that a crashed server left, and deleted as a whole.
 *
 * <p>The order avoids a moment in which the tunnel's addresses leave unmasqueraded: the table comes
 * before forwarding, and goes after it. A change that cannot be put into effect is undone and
 * refused; what was in place before stays.
 */
final class FullTunnel {

    /** Which parameters, which ruleset, and what the operator should know about the choice. */
    record Plan(List<Sysctls.Name> sysctls, String ruleset, List<String> warnings) {

        Plan {
            sysctls = List.copyOf(sysctls);
            warnings = List.copyOf(warnings);
        }

        static final Plan NOTHING = new Plan(List.of(), null, List.of());
    }

    private static final Logger LOG = LoggerFactory.getLogger(FullTunnel.class);

    static final String ON = "1";
    static final String IPV4 = "ipv4";
    static final String IPV6 = "ipv6";
    static final String ALL = "all";

    private static final String NFT_FIX = "the kernel needs nftables with NAT (nf_tables, nft_nat, nft_masq, nft_ct)"
            + " and the server root or CAP_NET_ADMIN; fix the cause and save the configuration again, or leave "
            + InterfaceSettings.MASQUERADE + " empty";
    private static final String SYSCTL_FIX = "the server needs root (or CAP_NET_ADMIN in its network namespace) and"
            + " a writable /proc/sys; fix the cause and save the configuration again, or set "
            + InterfaceSettings.FORWARDING + " = false and enable forwarding yourself";

    private final String iface;
    private final Sysctls sysctls;
    private final Nft nft;
    /** The parameters this interface holds, in the order it took them. */
    private List<Sysctls.Name> held = List.of();
    /** The ruleset in place; {@code null} when the interface has no table. */
    private String ruleset;

    FullTunnel(String iface, Sysctls sysctls, Nft nft) {
        this.iface = iface;
        this.sysctls = sysctls;
        this.nft = nft;
    }

    /**
     * What {@code settings} need, given which parameters the kernel has.
     *
     * @param exists whether a parameter exists (an interface's exist while the interface does)
     */
    static Plan plan(InterfaceSettings settings, Predicate<Sysctls.Name> exists) {
        if (!settings.forwarding()) {
            return Plan.NOTHING;
        }
        String wg = settings.name();
        Masquerade masquerade = settings.masquerade();
        String out = masquerade.mode() == Masquerade.Mode.INTERFACE ? masquerade.outInterface() : null;
        List<Sysctls.Name> names = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        names.add(Sysctls.Name.forwarding(IPV4, wg));
        if (out != null && exists.test(Sysctls.Name.forwarding(IPV4, out))) {
            names.add(Sysctls.Name.forwarding(IPV4, out));
        } else {
            if (out != null) {
                warnings.add(InterfaceSettings.MASQUERADE + " names " + out + ", which does not exist in the"
                        + " server's network namespace (yet): the masquerade applies once it appears, and"
                        + " IPv4 forwarding is on for every interface (" + Sysctls.Name.forwarding(IPV4, ALL)
                        + ") instead of " + out + " alone; check the name (ip link)");
            }
            names.add(Sysctls.Name.forwarding(IPV4, ALL));
        }
        if (settings.addresses().stream().anyMatch(a -> !a.isIpv4())) {
            if (out != null
                    && exists.test(Sysctls.Name.forceForwarding(wg))
                    && exists.test(Sysctls.Name.forceForwarding(out))) {
                names.add(Sysctls.Name.forceForwarding(wg));
                names.add(Sysctls.Name.forceForwarding(out));
            } else {
                names.add(Sysctls.Name.forwarding(IPV6, ALL));
            }
        }
        String rules = masquerade.isOn() ? NftRuleset.masquerade(wg, masquerade, settings.addresses()) : null;
        return new Plan(names, rules, warnings);
    }

    /**
     * Fails unless {@code nft} is there when {@code settings} need it: checked before the interface
     * is created, so that a missing program is one clear line rather than an interface taken down again.
     */
    static void requireNft(InterfaceSettings settings, Nft nft, ConfigurationOrigin origin) {
        if (settings.masquerade().isOn() && !nft.isInstalled()) {
            throw InterfaceStartException.badValue(
                    origin,
                    InterfaceSettings.MASQUERADE,
                    "'" + settings.masquerade() + "' needs nftables' nft program, which is not installed (looked for "
                            + String.join(", ", Nft.LOCATIONS) + ")",
                    "install nftables (apt-get install nftables, dnf install nftables), or leave "
                            + InterfaceSettings.MASQUERADE + " empty");
        }
    }

    /**
     * Puts what {@code next} asks for into effect, in place of what this interface has now; nothing
     * when that is the same.
     *
     * @return whether anything changed
     * @throws InterfaceStartException naming the key and the fix; what was in place stays in place
     */
    boolean apply(InterfaceSettings next, ConfigurationOrigin origin) {
        Plan plan = plan(next, sysctls::exists);
        if (plan.sysctls().equals(held) && Objects.equals(plan.ruleset(), ruleset)) {
            return false;
        }
        String previousRuleset = ruleset;
        boolean newTable = plan.ruleset() != null && !plan.ruleset().equals(ruleset);
        // 1. the table first: the tunnel's addresses never leave unmasqueraded
        if (newTable) {
            requireNft(next, nft, origin);
            try {
                nft.run(List.of("-f", "-"), plan.ruleset());
            } catch (IOException e) {
                throw InterfaceStartException.badValue(
                        origin,
                        InterfaceSettings.MASQUERADE,
                        "'" + next.masquerade() + "' could not be put in place: " + e.getMessage(),
                        NFT_FIX);
            }
            ruleset = plan.ruleset();
        }
        // 2. forwarding
        List<Sysctls.Hold> holds = new ArrayList<>();
        try {
            for (Sysctls.Name name : plan.sysctls()) {
                if (!held.contains(name)) {
                    holds.add(sysctls.hold(name, ON));
                }
            }
        } catch (IOException e) {
            List<String> undone = new ArrayList<>();
            for (Sysctls.Name name :
                    releaseOrder(holds.stream().map(Sysctls.Hold::name).toList())) {
                undone.addAll(releaseQuietly(name));
            }
            if (newTable) {
                runQuietly(previousRuleset != null ? previousRuleset : NftRuleset.delete(iface));
                ruleset = previousRuleset;
            }
            if (!undone.isEmpty()) {
                LOG.info("WireGuard interface {}: undone: {}", iface, String.join(", ", undone));
            }
            throw InterfaceStartException.badValue(
                    origin, InterfaceSettings.FORWARDING, "could not be put in place: " + e.getMessage(), SYSCTL_FIX);
        }
        // 3. what is no longer needed, in the reverse order
        List<String> givenBack = new ArrayList<>();
        for (Sysctls.Name name : releaseOrder(held)) {
            if (!plan.sysctls().contains(name)) {
                givenBack.addAll(releaseQuietly(name));
            }
        }
        held = plan.sysctls();
        boolean tableDeleted = false;
        if (plan.ruleset() == null && ruleset != null) {
            tableDeleted = deleteTable();
        }
        for (String warning : plan.warnings()) {
            LOG.warn(
                    "WireGuard interface {}: {} ({}: {})",
                    iface,
                    warning,
                    origin.describe(),
                    InterfaceSettings.MASQUERADE);
        }
        LOG.info("WireGuard interface {}: {}", iface, describe(next, holds, givenBack, tableDeleted));
        for (Sysctls.Hold hold : holds) {
            if (hold.changed() && hold.name().equals(Sysctls.Name.forwarding(IPV6, ALL))) {
                LOG.warn(
                        "WireGuard interface {}: {} is on now, for every interface: an interface with accept_ra=1"
                                + " then ignores router advertisements; if the server takes its own IPv6 address or"
                                + " route from them, set net.ipv6.conf.<uplink>.accept_ra=2",
                        iface,
                        hold.name());
            }
        }
        if (newTable) {
            warnAboutDroppingChains();
        }
        return true;
    }

    /** Takes everything off the host again, in the reverse order; never throws (a failure is an ERROR). */
    void remove() {
        if (held.isEmpty() && ruleset == null) {
            return;
        }
        List<String> givenBack = new ArrayList<>();
        for (Sysctls.Name name : releaseOrder(held)) {
            givenBack.addAll(releaseQuietly(name));
        }
        held = List.of();
        boolean tableDeleted = ruleset != null && deleteTable();
        LOG.info(
                "WireGuard interface {}: forwarding off{}{}",
                iface,
                givenBack.isEmpty() ? "" : " (" + String.join(", ", givenBack) + ")",
                tableDeleted ? "; nftables table " + qualifiedTable() + " deleted" : "");
    }

    /**
     * The order in which to let go: the reverse of the way up, except that {@code conf.all} goes
     * last. Given back earlier, it would make the kernel write the interface's own values, which this
     * interface still holds at that moment and would write once more only to give them back.
     */
    static List<Sysctls.Name> releaseOrder(List<Sysctls.Name> names) {
        List<Sysctls.Name> order = new ArrayList<>(names);
        Collections.reverse(order);
        order.sort(Comparator.comparing(Sysctls.Name::isAll));
        return order;
    }

    /** The parameters this interface holds, for tests. */
    List<Sysctls.Name> held() {
        return held;
    }

    /** The ruleset in place, {@code null} for none, for tests. */
    String ruleset() {
        return ruleset;
    }

    private String describe(InterfaceSettings next, List<Sysctls.Hold> holds, List<String> givenBack, boolean deleted) {
        StringBuilder text = new StringBuilder();
        if (next.forwarding()) {
            text.append("forwarding on");
            if (!holds.isEmpty()) {
                text.append(" (")
                        .append(holds.stream().map(Sysctls.Hold::toString).collect(Collectors.joining(", ")))
                        .append(')');
            }
        } else {
            text.append("forwarding off");
        }
        if (next.masquerade().isOn()) {
            text.append("; masquerade of ")
                    .append(NftRuleset.subnets(next.addresses()).stream()
                            .map(Cidr::toString)
                            .collect(Collectors.joining(", ")))
                    .append(" leaving through ")
                    .append(
                            next.masquerade().mode() == Masquerade.Mode.AUTO
                                    ? "any interface but " + iface
                                    : next.masquerade().outInterface())
                    .append(" (nftables table ")
                    .append(qualifiedTable())
                    .append(')');
        }
        if (!givenBack.isEmpty()) {
            text.append("; given back: ").append(String.join(", ", givenBack));
        }
        if (deleted) {
            text.append("; nftables table ").append(qualifiedTable()).append(" deleted");
        }
        return text.toString();
    }

    /** Deletes the table; an ERROR with the command to run by hand when that fails. */
    private boolean deleteTable() {
        try {
            nft.run(List.of("-f", "-"), NftRuleset.delete(iface));
            ruleset = null;
            return true;
        } catch (IOException e) {
            LOG.error(
                    "WireGuard interface {}: could not delete its nftables table {}: {}; delete it with: nft delete"
                            + " table {}",
                    iface,
                    qualifiedTable(),
                    e.getMessage(),
                    qualifiedTable());
            return false;
        }
    }

    private List<String> releaseQuietly(Sysctls.Name name) {
        try {
            return sysctls.release(name).stream().map(Sysctls.Release::toString).toList();
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "WireGuard interface {}: could not give {} its value back: {}; set it with sysctl -w",
                    iface,
                    name,
                    e.getMessage());
            return List.of();
        }
    }

    private void runQuietly(String text) {
        try {
            nft.run(List.of("-f", "-"), text);
        } catch (IOException e) {
            LOG.error(
                    "WireGuard interface {}: could not put its nftables table {} back as it was: {}",
                    iface,
                    qualifiedTable(),
                    e.getMessage());
        }
    }

    /**
     * A drop policy in another table's forward chain drops what our table accepts (every base chain
     * of a hook runs, a drop is final): said once when the table is put in place, with the way out.
     */
    private void warnAboutDroppingChains() {
        String chains;
        try {
            chains = nft.run(List.of("list", "chains"), null);
        } catch (IOException e) {
            LOG.debug("WireGuard interface {}: cannot list the nftables chains: {}", iface, e.getMessage());
            return;
        }
        List<String> dropping = NftRuleset.droppingForwardChains(chains, NftRuleset.table(iface));
        if (!dropping.isEmpty()) {
            LOG.warn(
                    "WireGuard interface {}: the forward hook also has {} with policy drop; what table {} accepts is"
                            + " still dropped there unless a rule of that chain accepts it (nftables runs every base"
                            + " chain, a drop is final): if clients get no further than the server, allow the"
                            + " tunnel in that firewall (e.g. postUp = iptables -I FORWARD -i %i -j ACCEPT; iptables"
                            + " -I FORWARD -o %i -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT)",
                    iface, String.join(", ", dropping), qualifiedTable());
        }
    }

    private String qualifiedTable() {
        return NftRuleset.FAMILY + " " + NftRuleset.table(iface);
    }
}

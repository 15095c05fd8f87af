package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface through the life of its configuration: brought up as wg-quick brings an interface
 * up (preUp, the interface, its static peers, postUp), changed in place where that is possible,
 * recreated where it is not, and taken down as wg-quick takes it down (preDown, the interface,
 * postDown).
 *
 * <p>What a change does:
 * <ul>
 * <li>name, listen port, private key file, addresses or MTU: the interface is recreated, since the
 *     TUN interface, its socket or the key that peers know change with them;
 * <li>static peers: only the difference is applied to the running device ({@link ConfiguredPeers}),
 *     so the peers of sessions, a handshake in progress and the counters are untouched;
 * <li>postUp: the previous postUp is undone with the previous postDown and the new postUp runs, on
 *     the running interface; a change of postDown alone, preUp or preDown is kept for the next time
 *     the interface goes down or comes up (running them now would undo or redo nothing);
 * <li>forwarding and masquerade: put into effect on the running interface ({@link FullTunnel}), before
 *     the peers, so that a refusal there leaves the interface as it was;
 * <li>routePeerSubnets: the routes to the peers' subnets are added or removed on the running interface
 *     ({@link PeerRoutes}).
 * </ul>
 *
 * <p>The way up is preUp, the interface, its static peers, forwarding and masquerade, postUp, the
 * routes to the peers' subnets (kept in step with the peers from then on); the way down preDown,
 * forwarding and masquerade off, the interface removed (its routes with it), postDown.
 *
 * <p>A failing postUp leaves the interface up, with an ERROR that names the configuration and the
 * setting; wg-quick would take the interface down again. A server differs from wg-quick here: its
 * interface also carries the session flow's peers, and a rule that could not be added (a missing
 * iptables module, a typo) is better fixed with the interface and every session still running
 * than found out through a server that lost its VPN. A failing preUp keeps the interface from
 * coming up, as with wg-quick: preUp prepares what the interface needs.
 */
final class ConfiguredInterface {

    /** Makes a started interface's device known to the rest of the server; the result withdraws it. */
    @FunctionalInterface
    interface Publisher {
        Runnable publish(WireGuardDevice device, InterfaceSettings settings, String publicKey);
    }

    /** What a configuration needs that reading it does not check: the key file and the peers' files. */
    private record Prepared(Key privateKey, List<ConfiguredPeer> peers) {}

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredInterface.class);

    private final InterfaceHost host;
    private final Publisher publisher;
    private InterfaceSettings settings;
    private ConfigurationOrigin origin;
    /** {@code null} when a recreation failed: the next change tries again. */
    private RunningInterface running;

    private ConfiguredPeers peers;
    /** Forwarding and masquerade of the running interface; {@code null} while it is not running. */
    private FullTunnel fullTunnel;
    /** The routes to the peers' subnets of the running interface; {@code null} while it is not running. */
    private PeerRoutes peerRoutes;

    private Runnable withdraw;

    private ConfiguredInterface(InterfaceHost host, Publisher publisher) {
        this.host = host;
        this.publisher = publisher;
    }

    /**
     * Brings an interface up.
     *
     * @throws InterfaceStartException naming the configuration, the setting and the fix
     */
    static ConfiguredInterface start(
            InterfaceSettings settings, ConfigurationOrigin origin, InterfaceHost host, Publisher publisher) {
        ConfiguredInterface configured = new ConfiguredInterface(host, publisher);
        configured.bringUp(settings, origin, configured.prepare(settings, origin));
        return configured;
    }

    /**
     * Puts a changed configuration into effect.
     *
     * @throws InterfaceStartException with the whole story: whether the interface kept its previous
     *         settings or is down now
     */
    synchronized void update(InterfaceSettings next, ConfigurationOrigin nextOrigin) {
        if (running == null) {
            bringUp(next, nextOrigin, prepare(next, nextOrigin));
            return;
        }
        List<String> recreatedFor = differences(settings, next);
        if (!recreatedFor.isEmpty()) {
            Prepared prepared;
            try {
                prepared = prepare(next, nextOrigin);
            } catch (InterfaceStartException e) {
                throw InterfaceStartException.changeNotApplied(settings.name(), e);
            }
            LOG.info(
                    "WireGuard interface {} is recreated for its changed {} ({})",
                    settings.name(),
                    String.join(", ", recreatedFor),
                    nextOrigin.describe());
            tearDown();
            bringUp(next, nextOrigin, prepared);
            return;
        }
        List<ConfiguredPeer> wanted;
        try {
            wanted = resolvePeers(next, nextOrigin);
        } catch (InterfaceStartException e) {
            throw InterfaceStartException.changeNotApplied(settings.name(), e);
        }
        boolean fullTunnelChanged;
        try {
            // before the peers: a refusal here leaves everything as it was
            fullTunnelChanged = fullTunnel.apply(next, nextOrigin);
        } catch (InterfaceStartException e) {
            throw InterfaceStartException.changeNotApplied(settings.name(), e);
        }
        ConfiguredPeers.Change change;
        try {
            change = peers.apply(running.device(), wanted);
        } catch (ConfigException e) {
            throw InterfaceStartException.changePartlyApplied(
                    settings.name(),
                    nextOrigin,
                    InterfaceSettings.PEERS
                            + " could not all be put on the device: " + e.getMessage()
                            + "; the peers before the failing one"
                            + " are applied, the settings are otherwise the previous ones"
                            + (fullTunnelChanged
                                    ? " (but for " + InterfaceSettings.FORWARDING + " and "
                                            + InterfaceSettings.MASQUERADE + ", which are the new ones)"
                                    : "")
                            + "; correct the entry and save again");
        }
        InterfaceSettings previous = settings;
        ConfigurationOrigin previousOrigin = origin;
        settings = next;
        origin = nextOrigin;
        boolean postUpChanged = !previous.postUp().equals(next.postUp());
        if (postUpChanged) {
            LOG.info(
                    "WireGuard interface {}: postUp changed; undoing the previous one with the previous postDown,"
                            + " then running the new one",
                    next.name());
            runDown(previous, previousOrigin, InterfaceSettings.POST_DOWN, previous.postDown());
            runPostUp();
        }
        // after the peers (and a new postUp, as on the way up): the routes follow at once, not at the next tick
        peerRoutes.enabled(next.routePeerSubnets());
        peerRoutes.sync();
        LOG.info(
                "WireGuard interface {} changed in place: {}{}{} ({})",
                next.name(),
                change,
                fullTunnelChanged
                        ? ", " + InterfaceSettings.FORWARDING + " and " + InterfaceSettings.MASQUERADE + " applied"
                        : "",
                postUpChanged ? ", postUp run again" : "",
                nextOrigin.describe());
    }

    /** Takes the interface down; it stays down. */
    synchronized void stop() {
        tearDown();
    }

    synchronized String name() {
        return settings.name();
    }

    private void bringUp(InterfaceSettings next, ConfigurationOrigin nextOrigin, Prepared prepared) {
        settings = next;
        origin = nextOrigin;
        String name = next.name();
        List<InterfaceHooks.Failure> preUp = InterfaceHooks.run(name, InterfaceSettings.PRE_UP, next.preUp(), true);
        if (!preUp.isEmpty()) {
            throw InterfaceStartException.badValue(
                    nextOrigin,
                    InterfaceSettings.PRE_UP,
                    preUp.get(0).toString(),
                    "fix the command: as with wg-quick, the interface is created only once every preUp command succeeded");
        }
        RunningInterface started;
        try {
            started = RunningInterface.start(next, prepared.privateKey(), host);
        } catch (IOException e) {
            throw InterfaceStartException.cannotStart(name, nextOrigin, e.getMessage());
        }
        ConfiguredPeers startedPeers = new ConfiguredPeers();
        try {
            startedPeers.apply(started.device(), prepared.peers());
        } catch (ConfigException e) {
            started.close();
            throw InterfaceStartException.badValue(
                    nextOrigin,
                    InterfaceSettings.PEERS,
                    "could not be put on the device: " + e.getMessage(),
                    "correct the entry");
        }
        FullTunnel startedTunnel = new FullTunnel(name, host.sysctls(), host.nft());
        try {
            startedTunnel.apply(next, nextOrigin);
        } catch (InterfaceStartException e) {
            started.close();
            throw e;
        }
        running = started;
        peers = startedPeers;
        fullTunnel = startedTunnel;
        runPostUp();
        // after postUp: a postUp that adds such a route itself (the advice before) must not find it there
        PeerRoutes startedRoutes = new PeerRoutes(next, started.device(), host.routes(), System::nanoTime);
        startedRoutes.start();
        peerRoutes = startedRoutes;
        String publicKey = Keys.publicFrom(prepared.privateKey()).toBase64();
        try {
            withdraw = publisher.publish(started.device(), next, publicKey);
        } catch (RuntimeException e) {
            running = null;
            startedRoutes.close();
            peerRoutes = null;
            startedTunnel.remove();
            fullTunnel = null;
            started.close();
            throw e;
        }
        // operators and the itests read this line as it was before static peers existed: they get their own line
        LOG.info(
                "WireGuard interface {} is up: listen port {}, addresses {}, MTU {}, public key {} ({})",
                name,
                next.listenPort(),
                addressList(next),
                next.mtu(),
                publicKey,
                nextOrigin.describe());
        if (startedPeers.size() > 0) {
            LOG.info(
                    "WireGuard interface {} has {} static peer{} from its configuration",
                    name,
                    startedPeers.size(),
                    startedPeers.size() == 1 ? "" : "s");
        }
    }

    private void tearDown() {
        if (running == null) {
            return;
        }
        String name = settings.name();
        withdraw.run();
        runDown(settings, origin, InterfaceSettings.PRE_DOWN, settings.preDown());
        // the routes go with the interface in the kernel: only their sync stops, before the device closes
        peerRoutes.close();
        peerRoutes = null;
        // forwarding and masquerade go before the interface, in the reverse order of the way up
        fullTunnel.remove();
        fullTunnel = null;
        running.close();
        running = null;
        peers = null;
        runDown(settings, origin, InterfaceSettings.POST_DOWN, settings.postDown());
        LOG.info("WireGuard interface {} removed", name);
    }

    private void runPostUp() {
        List<InterfaceHooks.Failure> failures =
                InterfaceHooks.run(settings.name(), InterfaceSettings.POST_UP, settings.postUp(), true);
        if (!failures.isEmpty()) {
            InterfaceHooks.Failure failure = failures.get(0);
            int skipped = failure.of() - failure.index() - 1;
            LOG.error(
                    "WireGuard interface {} is up, but its postUp failed ({}): {}; {}fix postUp: saving the"
                            + " changed command runs postDown, then the new postUp, without recreating the interface",
                    settings.name(),
                    origin.describe() + ": " + InterfaceSettings.POST_UP,
                    failure,
                    skipped == 0
                            ? ""
                            : skipped + " later postUp command" + (skipped == 1 ? "" : "s") + " did not run; ");
        }
    }

    /** Runs every command even after a failure: each usually undoes a rule of its own. */
    private static void runDown(InterfaceSettings of, ConfigurationOrigin from, String setting, List<String> commands) {
        for (InterfaceHooks.Failure failure : InterfaceHooks.run(of.name(), setting, commands, false)) {
            LOG.error(
                    "WireGuard interface {}: {} failed ({}: {}): {}",
                    of.name(),
                    setting,
                    from.describe(),
                    setting,
                    failure);
        }
    }

    private Prepared prepare(InterfaceSettings settings, ConfigurationOrigin origin) {
        // before anything is created: a missing nft is one clear line, not an interface taken down again
        FullTunnel.requireNft(settings, host.nft(), origin);
        PrivateKeyFile file = new PrivateKeyFile(settings.privateKeyFile());
        Key privateKey;
        try {
            privateKey = file.loadOrCreate();
        } catch (IOException e) {
            throw InterfaceStartException.badValue(
                    origin,
                    InterfaceSettings.PRIVATE_KEY_FILE,
                    e.getMessage(),
                    "point " + InterfaceSettings.PRIVATE_KEY_FILE + " at a readable file with a key from 'wg genkey',"
                            + " or delete the file to have a new key generated (peers then need the new public key)");
        }
        return new Prepared(privateKey, resolvePeers(settings, origin));
    }

    private static List<ConfiguredPeer> resolvePeers(InterfaceSettings settings, ConfigurationOrigin origin) {
        List<ConfiguredPeer> resolved = new ArrayList<>();
        for (StaticPeer peer : settings.peers()) {
            try {
                resolved.add(ConfiguredPeer.resolve(peer, settings.name()));
            } catch (IOException e) {
                throw InterfaceStartException.badValue(
                        origin,
                        InterfaceSettings.PEERS,
                        "peer " + peer.publicKey().toBase64() + ": " + StaticPeer.PRESHARED_KEY + " " + e.getMessage(),
                        "point it at a readable owner-only file with a key from 'wg genpsk'");
            }
        }
        return resolved;
    }

    /** The settings whose change needs a new interface, by their configuration names. */
    private static List<String> differences(InterfaceSettings a, InterfaceSettings b) {
        List<String> changed = new ArrayList<>();
        if (!a.name().equals(b.name())) {
            changed.add(InterfaceSettings.NAME);
        }
        if (a.listenPort() != b.listenPort()) {
            changed.add(InterfaceSettings.LISTEN_PORT);
        }
        if (!a.privateKeyFile().equals(b.privateKeyFile())) {
            changed.add(InterfaceSettings.PRIVATE_KEY_FILE);
        }
        if (!a.addresses().equals(b.addresses())) {
            changed.add(InterfaceSettings.ADDRESSES);
        }
        if (a.mtu() != b.mtu()) {
            changed.add(InterfaceSettings.MTU);
        }
        return changed;
    }

    private static String addressList(InterfaceSettings settings) {
        return settings.addresses().isEmpty()
                ? "none"
                : settings.addresses().stream().map(InterfaceAddress::toString).collect(Collectors.joining(", "));
    }
}

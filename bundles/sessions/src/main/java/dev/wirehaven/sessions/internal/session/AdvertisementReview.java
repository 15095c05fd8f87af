package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a policy change, asks the policy again about every subnet that a connected branch advertises:
 * a subnet that the policy no longer admits is withdrawn at once (taken off the peer's allowed IPs
 * on the device and off the session), so that a policy edit reaches site-to-site routes as it reaches
 * traffic rules. The tunnel and the other subnets stay.
 */
final class AdvertisementReview {

    private static final Logger LOG = LoggerFactory.getLogger(AdvertisementReview.class);

    private final Supplier<SessionSettings> settings;
    private final SessionRepository sessions;
    private final PeerRepository peers;
    private final PeerTable table;
    private final SubnetPolicy policy;
    private final SessionLocks locks;
    private final FlowEvents events;
    private final Clock clock;
    private final ClusterChanges cluster;

    AdvertisementReview(
            Supplier<SessionSettings> settings,
            SessionRepository sessions,
            PeerRepository peers,
            PeerTable table,
            SubnetPolicy policy,
            SessionLocks locks,
            FlowEvents events,
            Clock clock,
            ClusterChanges cluster) {
        this.cluster = cluster;
        this.settings = settings;
        this.sessions = sessions;
        this.peers = peers;
        this.table = table;
        this.policy = policy;
        this.locks = locks;
        this.events = events;
        this.clock = clock;
    }

    /** Withdraws the subnets of session {@code id} that the policy no longer admits. */
    void review(String id) {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            SessionRecord s = sessions.find(id).filter(SessionRecord::isOpen).orElse(null);
            if (s == null || s.advertisedSubnets().isEmpty() || !SessionAccess.AFTER_CONFIG.contains(s.phase())) {
                return;
            }
            List<String> kept = new ArrayList<>();
            List<String> withdrawn = new ArrayList<>();
            String why = "";
            for (String text : s.advertisedSubnets()) {
                IpPrefix subnet = Prefixes.parse(text);
                try {
                    policy.check(s.identity(), s.id(), subnet, settings.get().advertisable());
                    kept.add(text);
                } catch (FlowException e) {
                    withdrawn.add(text);
                    why = e.getMessage();
                }
            }
            if (!withdrawn.isEmpty()) {
                withdraw(s, kept, withdrawn, why);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot review the advertised subnets of session {}: {}", id, e.toString());
        } finally {
            lock.unlock();
        }
    }

    private void withdraw(SessionRecord s, List<String> kept, List<String> withdrawn, String why) {
        PeerRecord peer = peers.ofSession(s.id()).orElse(null);
        if (peer != null) {
            List<String> allowed = new ArrayList<>(peer.allowedIps());
            allowed.removeAll(withdrawn);
            peers.put(new PeerRecord(
                    peer.publicKey(),
                    peer.sessionId(),
                    peer.presharedKey(),
                    allowed,
                    peer.keepaliveSeconds(),
                    peer.createdAt()));
            try {
                table.removeAllowedIps(
                        s.clientPublicKey(),
                        s.id(),
                        withdrawn.stream().map(Cidr::parse).toList());
            } catch (ConfigException e) {
                LOG.warn("Cannot take {} off the peer of session {}: {}", withdrawn, s.id(), e.getMessage());
            }
        }
        SessionRecord next = s.configured(kept, clock.instant());
        if (!sessions.save(next, s.phase())) {
            LOG.info(
                    "Session {} changed while its subnets were reviewed; the next policy change reviews it again",
                    s.id());
            return;
        }
        cluster.peerChanged(s.id(), s.clientPublicKey());
        String detail = "advertised subnets withdrawn after a policy change: " + String.join(", ", withdrawn) + " ("
                + why + ")";
        events.step(next, next.phase(), detail);
        events.security(SecurityEvent.ACCESS_DENIED, Severity.MEDIUM, s.user(), null, s.id(), detail);
    }
}

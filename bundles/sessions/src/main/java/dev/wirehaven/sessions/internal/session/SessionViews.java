package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.api.session.SessionView;
import dev.wirehaven.api.session.UserUsage;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link SessionDirectory} service: the open sessions from the store, with the traffic counters
 * and last handshake that the device reports for their peers. Snapshots hold no secret.
 */
final class SessionViews implements SessionDirectory {

    private final SessionRepository sessions;
    private final PeerTable table;
    private final Accounting accounting;

    SessionViews(SessionRepository sessions, PeerTable table, Accounting accounting) {
        this.sessions = sessions;
        this.table = table;
        this.accounting = accounting;
    }

    @Override
    public List<UserUsage> usage() {
        return accounting.usage();
    }

    @Override
    public List<SessionView> sessions() {
        return views(sessions.open());
    }

    @Override
    public Optional<SessionView> find(String sessionId) {
        return sessions.find(sessionId).filter(SessionRecord::isOpen).map(s -> view(s, table.recent()));
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        Map<String, PeerSnapshot> device = table.recent();
        Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
        for (SessionRecord s : sessions.open()) {
            PeerSnapshot peer = device.get(s.clientPublicKey());
            if (peer != null && peer.endpoint() != null) {
                endpoints.put(s.id(), peer.endpoint());
            }
        }
        return endpoints;
    }

    @Override
    public List<SessionView> sessionsOf(String user) {
        return views(sessions.openOf(user));
    }

    private List<SessionView> views(List<SessionRecord> records) {
        Map<String, PeerSnapshot> device = table.recent();
        return records.stream().map(s -> view(s, device)).toList();
    }

    static SessionView view(SessionRecord s, Map<String, PeerSnapshot> device) {
        PeerSnapshot peer = device.get(s.clientPublicKey());
        boolean authenticated = s.phase().compareTo(SessionPhase.AUTHENTICATED) >= 0;
        return new SessionView(
                s.id(),
                authenticated ? s.identity() : null,
                s.phase(),
                s.addresses().addresses(),
                s.advertisedSubnets().stream().map(Prefixes::parse).toList(),
                s.clientPublicKey(),
                s.deviceName(),
                s.createdAt(),
                SessionLifecycle.latest(SessionLifecycle.handshakeOf(peer), s.lastHandshakeAt()),
                peer == null ? 0 : peer.rxBytes(),
                peer == null ? 0 : peer.txBytes());
    }

    /** The session as its client sees it (the control API's answer to most steps). */
    static SessionStatus status(SessionRecord s, Map<String, PeerSnapshot> device) {
        PeerSnapshot peer = s.isOpen() ? device.get(s.clientPublicKey()) : null;
        Instant handshake = SessionLifecycle.latest(SessionLifecycle.handshakeOf(peer), s.lastHandshakeAt());
        return new SessionStatus(
                s.id(),
                s.phase(),
                s.phase().compareTo(SessionPhase.AUTHENTICATED) >= 0 ? s.user() : null,
                s.isOpen() ? FlowErrors.texts(s.addresses().hostPrefixes()) : List.of(),
                s.expiresAt(),
                handshake,
                peer == null ? 0 : peer.rxBytes(),
                peer == null ? 0 : peer.txBytes(),
                s.policyVersion());
    }
}

package dev.wirehaven.responses.internal;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.api.session.SessionView;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The session layer as the tests need it: open sessions by id, each of a user and optionally from an
 * endpoint, and a record of every revoke and step-up asked of it.
 */
final class FakeSessions implements SessionAdmin, SessionDirectory {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final Map<String, SessionView> open = new LinkedHashMap<>();
    private final Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
    final List<String> revoked = new ArrayList<>();
    final List<String> steppedUp = new ArrayList<>();
    final List<List<String>> stepUpMethods = new ArrayList<>();

    /** Opens an authenticated session of {@code user}. */
    void open(String id, String user) {
        open.put(id, view(id, user, SessionPhase.ACTIVE));
    }

    /** Opens a session that has not authenticated yet. */
    void opening(String id) {
        open.put(id, view(id, null, SessionPhase.REQUESTED));
    }

    void from(String id, InetSocketAddress endpoint) {
        endpoints.put(id, endpoint);
    }

    private static SessionView view(String id, String user, SessionPhase phase) {
        Identity identity = user == null ? null : new Identity(user, Set.of(), Map.of(), null);
        return new SessionView(id, identity, phase, List.of(), List.of(), KEY, "", Instant.EPOCH, null, 0, 0);
    }

    boolean isOpen(String id) {
        return open.containsKey(id);
    }

    @Override
    public Optional<SessionView> revoke(String sessionId, String by) {
        SessionView s = open.remove(sessionId);
        if (s != null) {
            revoked.add(sessionId);
        }
        return Optional.ofNullable(s);
    }

    @Override
    public List<SessionView> revokeAllOf(String user, String by) {
        List<SessionView> ofUser = sessionsOf(user);
        ofUser.forEach(s -> revoke(s.id(), by));
        return ofUser;
    }

    @Override
    public boolean requestStepUp(String sessionId, List<String> methods, String reason) {
        SessionView s = open.get(sessionId);
        if (s == null || s.identity() == null) {
            return false;
        }
        steppedUp.add(sessionId);
        stepUpMethods.add(List.copyOf(methods));
        return true;
    }

    @Override
    public List<SessionView> sessions() {
        return List.copyOf(open.values());
    }

    @Override
    public Optional<SessionView> find(String sessionId) {
        return Optional.ofNullable(open.get(sessionId));
    }

    @Override
    public List<SessionView> sessionsOf(String user) {
        return open.values().stream()
                .filter(s -> s.identity() == null ? false : s.identity().user().equals(user))
                .toList();
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        return Map.copyOf(endpoints);
    }
}

package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.sessions.internal.access.CompiledAccess;
import dev.wirehaven.sessions.internal.access.FilterCompiler;
import dev.wirehaven.sessions.internal.access.Grant;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every configured session's access filter on the device in step with the policy: compiled
 * when the session's peer goes on the device ({@link #filterFor}), again for every session when an
 * engine comes, goes or changes its service properties (a policy edit), when a time window or grant
 * of a session ends, and when a grant is added. {@link #tick} runs on the session layer's timer
 * every {@link #TICK}; it also turns the device's per-rule denial counters into security events,
 * at most one per session per {@link #EVENT_INTERVAL}, so that a scan cannot flood the sinks.
 */
final class TrafficEnforcement {

    /** How often policy changes and lapses are looked for: an edit reaches the data plane within it. */
    static final Duration TICK = Duration.ofMillis(250);
    /** The shortest time between two denial events of one session. */
    static final Duration EVENT_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(TrafficEnforcement.class);

    private final Supplier<SessionSettings> settings;
    private final Supplier<List<BoundPlugin<PolicyEngine>>> engines;
    private final SessionRepository sessions;
    private final PeerTable table;
    private final FlowEvents events;
    private final Clock clock;
    private volatile AdvertisementReview review;
    private final Map<String, Enforced> enforced = new ConcurrentHashMap<>();

    TrafficEnforcement(
            Supplier<SessionSettings> settings,
            Supplier<List<BoundPlugin<PolicyEngine>>> engines,
            SessionRepository sessions,
            PeerTable table,
            FlowEvents events,
            Clock clock) {
        this.settings = settings;
        this.engines = engines;
        this.sessions = sessions;
        this.table = table;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The filter that {@code s}'s peer goes on the device with, or null when enforcement is off. The
     * session is remembered, so that later policy changes reach it.
     */
    PeerFilter filterFor(SessionRecord s, List<IpPrefix> advertises) {
        Enforced before = enforced.get(s.id());
        List<Grant> grants = before == null ? List.of() : before.grants();
        Enforced now = compile(s, grants, advertises);
        enforced.put(s.id(), now);
        return now.access() == null ? null : now.access().filter();
    }

    /** Opens {@code grant} for the session now (a resource granted after its policy check). */
    void grant(String sessionId, Grant grant) {
        Enforced e = enforced.get(sessionId);
        if (e == null) {
            return;
        }
        List<Grant> grants = new ArrayList<>(e.grants());
        grants.add(grant);
        recompile(sessionId, grants);
    }

    /** From now on a policy change also reviews the subnets that branches advertise. */
    void reviewAdvertisementsWith(AdvertisementReview review) {
        this.review = review;
    }

    /** The session ended: its filter went with its peer. */
    void forget(String sessionId) {
        enforced.remove(sessionId);
    }

    /** One look for policy changes, lapsed filters and new denials; runs on the timer, never per packet. */
    void tick() {
        try {
            Policy current = new Policy(engines.get(), settings.get().access().enforce());
            if (enforced.values().stream().anyMatch(e -> !e.policy().equals(current))) {
                recompileStale(current);
            }
            Instant now = clock.instant();
            for (Map.Entry<String, Enforced> e : enforced.entrySet()) {
                if (e.getValue().access() != null && e.getValue().access().lapsedAt(now)) {
                    recompile(e.getKey(), e.getValue().grants());
                }
            }
            reportDenials();
        } catch (RuntimeException e) {
            LOG.warn("Access enforcement pass failed: {}; it runs again in {} ms", e.toString(), TICK.toMillis());
        }
    }

    /**
     * Compiles again every session whose filter came from another policy than {@code current} (each
     * session remembers the engines it was compiled with, so that an engine that came and went between
     * two passes is not missed), after asking again about the subnets it advertises.
     */
    private void recompileStale(Policy current) {
        String why = "the policy changed (engines "
                + current.engines().stream().map(BoundPlugin::name).collect(Collectors.joining(", "))
                + (current.enforce() ? "" : "; enforcement off") + ")";
        long started = System.nanoTime();
        int count = 0;
        AdvertisementReview subnets = review;
        for (Map.Entry<String, Enforced> e : enforced.entrySet()) {
            if (e.getValue().policy().equals(current)) {
                continue;
            }
            if (subnets != null) {
                subnets.review(e.getKey());
            }
            if (recompile(e.getKey(), e.getValue().grants())) {
                count++;
            }
        }
        LOG.info(
                "Access: {}; filters of {} sessions compiled again in {} ms",
                why,
                count,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Compiles the session's filter again and puts it on its peer; false when the session is gone. */
    private boolean recompile(String sessionId, List<Grant> grants) {
        Optional<SessionRecord> s = sessions.find(sessionId).filter(SessionRecord::isOpen);
        if (s.isEmpty() || !SessionAccess.AFTER_CONFIG.contains(s.get().phase())) {
            enforced.remove(sessionId);
            return false;
        }
        Enforced next = compile(s.get(), grants, advertised(s.get()));
        try {
            if (!table.filter(
                    s.get().clientPublicKey(),
                    sessionId,
                    next.access() == null ? null : next.access().filter())) {
                enforced.remove(sessionId);
                return false;
            }
        } catch (ConfigException | RuntimeException e) {
            LOG.warn("Cannot put the new filter on the peer of session {}: {}", sessionId, e.getMessage());
            return false;
        }
        enforced.merge(sessionId, next, (old, fresh) -> fresh.withDenied(old.denied(), old.lastEvent()));
        return true;
    }

    /** The subnets the session advertises, as saved. */
    static List<IpPrefix> advertised(SessionRecord s) {
        return s.advertisedSubnets().stream().map(Prefixes::parse).toList();
    }

    private Enforced compile(SessionRecord s, List<Grant> grants, List<IpPrefix> advertises) {
        Instant now = clock.instant();
        List<Grant> live = grants.stream().filter(g -> g.holdsAt(now)).toList();
        Policy policy = new Policy(engines.get(), settings.get().access().enforce());
        if (!policy.enforce()) {
            return new Enforced(s.clientPublicKey(), policy, null, live, 0, Instant.EPOCH);
        }
        CompiledAccess access = FilterCompiler.compile(s.identity(), s.id(), policy.engines(), live, advertises, now);
        return new Enforced(s.clientPublicKey(), policy, access, live, 0, Instant.EPOCH);
    }

    /** A security event per session whose denials grew since its last event, at most one per EVENT_INTERVAL. */
    private void reportDenials() {
        Instant now = clock.instant();
        Map<String, PeerSnapshot> peers = null;
        for (Map.Entry<String, Enforced> e : enforced.entrySet()) {
            Enforced en = e.getValue();
            if (en.access() == null || now.isBefore(en.lastEvent().plus(EVENT_INTERVAL))) {
                continue;
            }
            if (peers == null) {
                peers = table.recent();
            }
            PeerSnapshot p = peers.get(en.publicKey());
            if (p == null) {
                continue;
            }
            long total = p.deniedByRule().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            if (total > en.denied()) {
                report(e.getKey(), total - en.denied(), p.deniedByRule());
                enforced.computeIfPresent(e.getKey(), (id, old) -> old.withDenied(total, now));
            }
        }
    }

    private void report(String sessionId, long newly, Map<String, Long> byRule) {
        Optional<SessionRecord> s = sessions.find(sessionId);
        if (s.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Long> r : byRule.entrySet()) {
            events.counter(
                    "policy.denied.packets",
                    r.getValue(),
                    "packets",
                    Map.of("rule", r.getKey(), "user", s.get().user(), "session", sessionId));
        }
        String rules = new TreeMap<>(byRule)
                .entrySet().stream().map(r -> r.getKey() + " " + r.getValue()).collect(Collectors.joining(", "));
        events.security(
                SecurityEvent.ACCESS_DENIED,
                Severity.LOW,
                s.get().user(),
                null,
                sessionId,
                newly + " packets of session " + sessionId + " denied by the access policy since the last report"
                        + " (totals by rule: " + rules + ")");
    }

    /** The engines (with their service properties, which announce edits) and the setting a filter came from. */
    private record Policy(List<BoundPlugin<PolicyEngine>> engines, boolean enforce) {}

    /** What is enforced on one session's peer, and from which policy. */
    private record Enforced(
            String publicKey,
            Policy policy,
            CompiledAccess access,
            List<Grant> grants,
            long denied,
            Instant lastEvent) {
        Enforced withDenied(long count, Instant at) {
            return new Enforced(publicKey, policy, access, grants, count, at);
        }
    }
}

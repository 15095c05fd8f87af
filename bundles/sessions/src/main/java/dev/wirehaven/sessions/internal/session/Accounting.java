package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.UserUsage;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.internal.store.SessionUsage;
import dev.wirehaven.sessions.internal.store.UsageRepository;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-user accounting from the server's own device counters, never from what a client reports:
 * a session's bytes, packets and connected time (from its peer going on the device to its end) are
 * saved when it ends and sent to the monitoring sinks; per-user totals add the open sessions' live
 * counters to the ended ones kept in the store.
 *
 * <p>At the end of a session its counters are read from a fresh device snapshot, just before its peer
 * goes: a copy of every peer's state, paid once per ended session so that nothing it carried is lost.
 */
final class Accounting {

    private static final Logger LOG = LoggerFactory.getLogger(Accounting.class);

    private final SessionRepository sessions;
    private final UsageRepository usage;
    private final PeerTable table;
    private final FlowEvents events;
    private final Clock clock;

    Accounting(SessionRepository sessions, UsageRepository usage, PeerTable table, FlowEvents events, Clock clock) {
        this.sessions = sessions;
        this.usage = usage;
        this.table = table;
        this.events = events;
        this.clock = clock;
    }

    /** The counters of {@code s}'s peer now, to be passed to {@link #ended} once the peer is gone. */
    PeerSnapshot lastCounters(SessionRecord s) {
        return table.fresh().get(s.clientPublicKey());
    }

    /** Saves what the ended session {@code closed} used and tells the sinks. */
    void ended(SessionRecord closed, PeerSnapshot last) {
        if (last == null || closed.user() == null || closed.configuredAt() == null) {
            return;
        }
        try {
            usage.record(closed.id(), last.rxBytes(), last.txBytes(), last.rxPackets(), last.txPackets());
        } catch (StoreException e) {
            LOG.warn("The usage of session {} is not saved: {}", closed.id(), e.getMessage());
        }
        Map<String, String> tags = Map.of("user", closed.user(), "session", closed.id());
        Instant end = closed.closedAt() == null ? clock.instant() : closed.closedAt();
        events.counter("session.bytes.received", last.rxBytes(), "bytes", tags);
        events.counter("session.bytes.sent", last.txBytes(), "bytes", tags);
        events.counter("session.packets.received", last.rxPackets(), "packets", tags);
        events.counter("session.packets.sent", last.txPackets(), "packets", tags);
        events.counter(
                "session.connected",
                Duration.between(closed.configuredAt(), end).toSeconds(),
                "seconds",
                tags);
    }

    /** Per-user totals over the open sessions and the ended ones in the store, by user name. */
    List<UserUsage> usage() {
        Instant now = clock.instant();
        Map<String, Totals> byUser = new TreeMap<>();
        for (SessionUsage u : usage.ended()) {
            byUser.computeIfAbsent(u.user(), k -> new Totals()).add(u, now, false);
        }
        Map<String, PeerSnapshot> device = table.recent();
        for (SessionRecord s : sessions.open()) {
            PeerSnapshot p = device.get(s.clientPublicKey());
            if (s.user() == null || s.configuredAt() == null || p == null) {
                continue;
            }
            SessionUsage live = new SessionUsage(
                    s.user(), s.configuredAt(), null, p.rxBytes(), p.txBytes(), p.rxPackets(), p.txPackets());
            byUser.computeIfAbsent(s.user(), k -> new Totals()).add(live, now, true);
        }
        List<UserUsage> all = new ArrayList<>();
        byUser.forEach((user, t) -> all.add(t.of(user)));
        return all;
    }

    /** One user's running sums. */
    private static final class Totals {
        int sessions;
        int open;
        long rxBytes;
        long txBytes;
        long rxPackets;
        long txPackets;
        Duration connected = Duration.ZERO;

        void add(SessionUsage u, Instant now, boolean isOpen) {
            sessions++;
            open += isOpen ? 1 : 0;
            rxBytes += u.rxBytes();
            txBytes += u.txBytes();
            rxPackets += u.rxPackets();
            txPackets += u.txPackets();
            Instant end = u.closedAt() == null ? now : u.closedAt();
            if (end.isAfter(u.configuredAt())) {
                connected = connected.plus(Duration.between(u.configuredAt(), end));
            }
        }

        UserUsage of(String user) {
            return new UserUsage(user, sessions, open, rxBytes, txBytes, rxPackets, txPackets, connected);
        }
    }
}

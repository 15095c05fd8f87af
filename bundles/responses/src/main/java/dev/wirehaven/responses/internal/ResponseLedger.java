package dev.wirehaven.responses.internal;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponse.State;
import dev.wirehaven.api.response.SecurityResponses;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's book of security responses: it carries each one out, keeps the lasting ones in force
 * until they expire or are undone, persists them, and reports every step.
 *
 * <p>The book lives in memory and is written through to the store; when the store fails, the book
 * keeps working and says so in the log, because a block must hold even while the database is down.
 * What is in force is also kept as an immutable {@link Enforcement} snapshot in a volatile field: the
 * control API asks {@link #isBlocked} on every request and must not wait for the book's lock.
 *
 * <p>Actions on sessions run outside the book's lock: the session layer has locks of its own, and a
 * revoke must not wait for, or hold up, other responses.
 */
final class ResponseLedger implements SecurityResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseLedger.class);

    /** Less than what the store's timestamps can tell apart from the book's (PostgreSQL keeps microseconds). */
    private static final Duration STORE_PRECISION = Duration.ofMillis(1);

    /** How many responses that are no longer in force the book and the store keep. */
    static final int ENDED_KEPT = 1000;

    private final Clock clock;
    private final ResponseStore store;
    private final ResponseReports reports;
    private final SessionLayer sessions;
    private final Consumer<List<IpPrefix>> blocksChanged;
    private final SecureRandom random = new SecureRandom();

    private volatile ResponseSettings settings;
    private volatile Enforcement enforcement = Enforcement.NONE;

    /** Every response kept, in the order they were recorded; guarded by {@code this}. */
    private final Map<String, SecurityResponse> book = new LinkedHashMap<>();
    /** How many in {@link #book} are not in force; guarded by {@code this}. */
    private int ended;
    /** Whether the store may hold more ended responses than it keeps; guarded by {@code this}. */
    private boolean trimDue = true;

    /**
     * Reads the responses in force from the store: those whose time passed while the server was down
     * expire now, the others are enforced again.
     */
    ResponseLedger(
            ResponseSettings settings,
            ResponseStore store,
            ResponseReports reports,
            SessionLayer sessions,
            Consumer<List<IpPrefix>> blocksChanged,
            Clock clock) {
        this.settings = settings;
        this.store = store;
        this.reports = reports;
        this.sessions = sessions;
        this.blocksChanged = blocksChanged;
        this.clock = clock;
        synchronized (this) {
            load();
            enforce(true);
            expireDue(clock.instant());
        }
    }

    private void load() {
        List<SecurityResponse> known = new ArrayList<>();
        try {
            known.addAll(store.active());
            known.addAll(store.latestEnded(ENDED_KEPT));
        } catch (RuntimeException e) {
            LOG.error(
                    "The responses could not be read from the store; blocks and disabled users from before this"
                            + " start are not in force, new responses are kept in memory: {}",
                    e.toString());
            return;
        }
        known.sort(Comparator.comparing(SecurityResponse::started));
        for (SecurityResponse r : known) {
            book.put(r.id(), r);
            if (!r.isActive()) {
                ended++;
            }
        }
        long active = known.stream().filter(SecurityResponse::isActive).count();
        LOG.info("Security responses: {} in force, {} ended kept", active, ended);
    }

    /** New rules apply to the responses asked for from now on; those in force stay until they end. */
    void settings(ResponseSettings next) {
        settings = next;
    }

    ResponseSettings settings() {
        return settings;
    }

    @Override
    public SecurityResponse apply(ResponseRequest request) {
        String target = request.target().strip();
        return switch (request.action()) {
            case ALERT -> oneOff(request, target, State.DONE, "");
            case BLOCK_SOURCE -> block(request, SourcePrefixes.parse(target));
            case REVOKE_SESSION -> {
                SessionLayer.Outcome outcome = sessions.revoke(target, settings, request.requestedBy());
                yield oneOff(request, target, outcome.carriedOut() ? State.DONE : State.REFUSED, outcome.note());
            }
            case REQUIRE_STEP_UP -> {
                ResponseSettings s = settings;
                if (s.isAllowListedUser(target)) {
                    yield oneOff(request, target, State.REFUSED, "the user is on the allow-list");
                }
                SessionLayer.Outcome outcome = sessions.stepUp(target, s.stepUpMethods(), request.reason());
                yield oneOff(request, target, outcome.carriedOut() ? State.DONE : State.REFUSED, outcome.note());
            }
            case DISABLE_USER -> disable(request, target);
        };
    }

    private SecurityResponse block(ResponseRequest request, IpPrefix prefix) {
        String target = SourcePrefixes.canonical(prefix);
        Optional<IpPrefix> allowed = settings.allowListedOverlap(prefix);
        if (allowed.isPresent()) {
            return oneOff(
                    request,
                    target,
                    State.REFUSED,
                    "the block overlaps allow-listed " + SourcePrefixes.canonical(allowed.get()));
        }
        return lasting(request, target).response();
    }

    private SecurityResponse disable(ResponseRequest request, String user) {
        if (settings.isAllowListedUser(user)) {
            return oneOff(request, user, State.REFUSED, "the user is on the allow-list");
        }
        // in force first, so that no new login slips in while the open sessions are revoked
        Lasting recorded = lasting(request, user);
        SecurityResponse disabled = recorded.response();
        if (!recorded.changed()) {
            return disabled; // in force until later already: its sessions were revoked when it started
        }
        String revoked = sessions.revokeAllOf(user, "security response " + disabled.id());
        synchronized (this) {
            SecurityResponse now = book.get(disabled.id());
            if (now == null || !now.isActive()) {
                return disabled; // undone or expired in the meantime
            }
            SecurityResponse noted = with(now, now.expires(), State.ACTIVE, join(now.note(), revoked));
            book.put(noted.id(), noted);
            write(noted, false);
            reports.applied(noted, clock.instant());
            return noted;
        }
    }

    /** A lasting response as recorded, and whether this request started or extended it. */
    private record Lasting(SecurityResponse response, boolean changed) {}

    /**
     * Records a lasting response in force, or extends the one of the same action and target that is
     * in force already when the new one ends later. A disable is reported by {@link #disable} once
     * its sessions are revoked.
     */
    private synchronized Lasting lasting(ResponseRequest request, String target) {
        Instant now = clock.instant();
        expireDue(now);
        Duration granted = settings.capped(request.duration());
        String capNote = granted.equals(request.duration()) ? "" : "capped at " + Durations.format(granted);
        Instant expires = now.plus(granted);
        boolean reportNow = request.action() != ResponseAction.DISABLE_USER;
        Optional<SecurityResponse> existing = book.values().stream()
                .filter(r -> r.isActive()
                        && r.action() == request.action()
                        && r.target().equals(target))
                .findFirst();
        if (existing.isPresent()) {
            SecurityResponse r = existing.get();
            if (!expires.isAfter(r.expires())) {
                LOG.info(
                        "Security response {} ({} {}) is in force until {} already; asked again by {}",
                        r.id(),
                        r.action(),
                        Text.printable(target),
                        r.expires(),
                        Text.printable(request.requestedBy()));
                return new Lasting(r, false);
            }
            SecurityResponse extended = with(
                    r,
                    expires,
                    State.ACTIVE,
                    join("extended until " + expires + " by " + request.requestedBy(), capNote));
            book.put(extended.id(), extended);
            write(extended, false);
            enforce(false);
            if (reportNow) {
                reports.applied(extended, now);
            }
            return new Lasting(extended, true);
        }
        SecurityResponse created = new SecurityResponse(
                newId(),
                request.action(),
                target,
                request.reason(),
                request.requestedBy(),
                now,
                expires,
                State.ACTIVE,
                capNote);
        book.put(created.id(), created);
        write(created, true);
        enforce(request.action() == ResponseAction.BLOCK_SOURCE);
        if (reportNow) {
            reports.applied(created, now);
        }
        return new Lasting(created, true);
    }

    /** Records a response that is done (or refused) as soon as it is recorded. */
    private synchronized SecurityResponse oneOff(ResponseRequest request, String target, State state, String note) {
        Instant now = clock.instant();
        SecurityResponse r = new SecurityResponse(
                newId(), request.action(), target, request.reason(), request.requestedBy(), now, now, state, note);
        book.put(r.id(), r);
        ended++;
        write(r, true);
        pruneBook();
        if (state == State.REFUSED) {
            reports.refused(r, now);
        } else {
            reports.applied(r, now);
        }
        return r;
    }

    @Override
    public synchronized Optional<SecurityResponse> undo(String id, String by) {
        Instant now = clock.instant();
        expireDue(now);
        SecurityResponse r = book.get(id);
        if (r == null || !r.isActive()) {
            // made through another node a moment ago, before this node's tick took it: look now
            follow();
            r = book.get(id);
        }
        if (r == null || !r.isActive()) {
            return Optional.empty();
        }
        SecurityResponse undone = with(r, r.expires(), State.UNDONE, join(r.note(), "undone by " + by + " at " + now));
        end(undone);
        enforce(r.action() == ResponseAction.BLOCK_SOURCE);
        reports.ended(undone, now, "undone by " + by);
        return Optional.of(undone);
    }

    /** The expiry task's work, once a second: follows the store, ends what ran its time and trims the store. */
    synchronized void tick() {
        follow();
        expireDue(clock.instant());
        if (trimDue) {
            try {
                int deleted = store.trimEnded(ENDED_KEPT);
                trimDue = false;
                if (deleted > 0) {
                    LOG.debug("Deleted {} old responses from the store", deleted);
                }
            } catch (RuntimeException e) {
                LOG.warn("Old responses could not be deleted from the store; trying again: {}", e.toString());
            }
        }
    }

    /**
     * Brings the book in line with the store, where the other gateway nodes that share it record their
     * responses (several nodes on one PostgreSQL): a block or a disabled user made on one node holds on
     * every node within a tick. Adopts what is in force there and missing here, or in force there until
     * later (extended elsewhere); ends here what the store says ended (undone or expired
     * elsewhere). A response that the store never got (recorded here while it failed) stays. Nothing is
     * reported: the node that made the change did. On the embedded store this node is the only writer
     * and the book finds nothing to change. Guarded by {@code this}.
     */
    private void follow() {
        Map<String, SecurityResponse> stored = new LinkedHashMap<>();
        Map<String, SecurityResponse> endedThere = new LinkedHashMap<>();
        try {
            store.active().forEach(r -> stored.put(r.id(), r));
            List<String> activeHereOnly = book.values().stream()
                    .filter(r -> r.isActive() && !stored.containsKey(r.id()))
                    .map(SecurityResponse::id)
                    .toList();
            for (SecurityResponse r : store.find(activeHereOnly)) {
                if (!r.isActive()) {
                    endedThere.put(r.id(), r);
                }
            }
        } catch (RuntimeException e) {
            // the store is away: what is in force here holds; the next tick tries again
            LOG.debug("The responses could not be compared with the store: {}", e.toString());
            return;
        }
        boolean changed = false;
        boolean blocks = false;
        for (SecurityResponse there : stored.values()) {
            SecurityResponse here = book.get(there.id());
            // an end that is earlier there is this node's extension that the store missed: it stays; the
            // store keeps microseconds, rounded, so only a later end by more than that is an extension
            boolean adopt = here == null
                    || (here.isActive()
                            && there.expires().isAfter(here.expires().plus(STORE_PRECISION)));
            if (adopt) {
                book.put(there.id(), there);
                changed = true;
                blocks |= there.action() == ResponseAction.BLOCK_SOURCE;
                LOG.info(
                        "Security response {} ({} {} until {}) made on another node is in force here",
                        there.id(),
                        there.action(),
                        Text.printable(there.target()),
                        there.expires());
            }
        }
        for (SecurityResponse there : endedThere.values()) {
            book.put(there.id(), there);
            ended++;
            changed = true;
            blocks |= there.action() == ResponseAction.BLOCK_SOURCE;
            LOG.info(
                    "Security response {} ({} {}) ended on another node: {}",
                    there.id(),
                    there.action(),
                    Text.printable(there.target()),
                    there.state());
        }
        if (changed) {
            pruneBook();
            enforce(blocks);
        }
    }

    /** Ends the lasting responses whose time has come; guarded by {@code this}. */
    private void expireDue(Instant now) {
        List<SecurityResponse> due = book.values().stream()
                .filter(r -> r.isActive() && !now.isBefore(r.expires()))
                .toList();
        if (due.isEmpty()) {
            return;
        }
        boolean blocks = false;
        List<SecurityResponse> expired = new ArrayList<>(due.size());
        for (SecurityResponse r : due) {
            SecurityResponse e = with(r, r.expires(), State.EXPIRED, r.note());
            end(e);
            expired.add(e);
            blocks |= r.action() == ResponseAction.BLOCK_SOURCE;
        }
        enforce(blocks);
        for (SecurityResponse e : expired) {
            reports.ended(e, now, "expired");
        }
    }

    /** Replaces an active response by its ended form; guarded by {@code this}. */
    private void end(SecurityResponse endedForm) {
        book.put(endedForm.id(), endedForm);
        ended++;
        write(endedForm, false);
        pruneBook();
    }

    /** Swaps in the snapshot of what is in force, and gives the devices the blocks when they changed. */
    private void enforce(boolean blocksChanged) {
        enforcement = Enforcement.of(book.values());
        if (blocksChanged) {
            this.blocksChanged.accept(enforcement.blockedPrefixes());
        }
    }

    /** Forgets the oldest ended responses beyond {@link #ENDED_KEPT}; guarded by {@code this}. */
    private void pruneBook() {
        Iterator<SecurityResponse> oldestFirst = book.values().iterator();
        while (ended > ENDED_KEPT && oldestFirst.hasNext()) {
            if (!oldestFirst.next().isActive()) {
                oldestFirst.remove();
                ended--;
            }
        }
    }

    private void write(SecurityResponse r, boolean created) {
        try {
            if (created) {
                store.insert(r);
            } else {
                store.update(r);
            }
            if (!r.isActive()) {
                trimDue = true;
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Response {} is not in the store ({}); it holds in memory until the server stops",
                    r.id(),
                    e.toString());
        }
    }

    @Override
    public synchronized List<SecurityResponse> active() {
        return book.values().stream().filter(SecurityResponse::isActive).toList();
    }

    @Override
    public synchronized List<SecurityResponse> recent(int limit) {
        List<SecurityResponse> newestFirst = new ArrayList<>(book.values());
        Collections.reverse(newestFirst);
        return List.copyOf(newestFirst.subList(0, Math.min(Math.max(0, limit), newestFirst.size())));
    }

    @Override
    public boolean isBlocked(InetAddress source) {
        return enforcement.blocks(source, clock.instant());
    }

    @Override
    public boolean isDisabled(String user) {
        return enforcement.disables(user, clock.instant());
    }

    private String newId() {
        String id;
        do {
            byte[] bytes = new byte[5];
            random.nextBytes(bytes);
            id = "r" + HexFormat.of().formatHex(bytes);
        } while (book.containsKey(id));
        return id;
    }

    private static SecurityResponse with(SecurityResponse r, Instant expires, State state, String note) {
        return new SecurityResponse(
                r.id(), r.action(), r.target(), r.reason(), r.requestedBy(), r.started(), expires, state, note);
    }

    private static String join(String note, String more) {
        if (note.isEmpty()) {
            return more;
        }
        return more.isEmpty() ? note : note + "; " + more;
    }
}

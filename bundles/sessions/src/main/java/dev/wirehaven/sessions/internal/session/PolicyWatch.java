package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.PolicyUpdate;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy long polls: a poll for a version newer than the client has is answered at once when
 * there is one, else parked as a future (no thread waits) until the policy changes, the session
 * ends, or the poll's time runs out on the timer.
 *
 * <p>A change and a poll can cross: the poll reads the old version, the change raises it and looks
 * for parked polls, and only then is the poll parked. The generation counter closes that gap
 * without a lock: a poll that sees the generation move while it parked looks again, and the change
 * looks at every poll parked by then. Answering twice is harmless: a future completes once.
 */
final class PolicyWatch {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatch.class);

    private final ScheduledExecutorService timer;
    private final Function<String, Optional<PolicyUpdate>> current;
    private final Set<Poll> parked = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param current the newest policy of a session, or empty when the session has ended
     */
    PolicyWatch(ScheduledExecutorService timer, Function<String, Optional<PolicyUpdate>> current) {
        this.timer = timer;
        this.current = current;
    }

    /** Completes with a policy newer than {@code afterVersion}, or empty after {@code wait} or when the session ends. */
    CompletableFuture<Optional<PolicyUpdate>> after(String sessionId, long afterVersion, Duration wait) {
        Poll poll = new Poll(sessionId, afterVersion, new CompletableFuture<>());
        long seen = generation.get();
        if (answer(poll) || wait.isZero()) {
            poll.future.complete(Optional.empty());
            return poll.future;
        }
        parked.add(poll);
        ScheduledFuture<?> timeout =
                timer.schedule(() -> poll.future.complete(Optional.empty()), wait.toMillis(), TimeUnit.MILLISECONDS);
        poll.future.whenComplete((update, failure) -> {
            parked.remove(poll);
            timeout.cancel(false);
        });
        if (generation.get() != seen) {
            answer(poll);
        }
        return poll.future;
    }

    /** The policy changed for every session (their versions were raised in the store): answers parked polls. */
    void changed() {
        generation.incrementAndGet();
        for (Poll poll : parked) {
            answer(poll);
        }
    }

    /** The session ended: its parked polls answer empty (the client's next call learns why). */
    void closed(String sessionId) {
        for (Poll poll : parked) {
            if (poll.sessionId.equals(sessionId)) {
                poll.future.complete(Optional.empty());
            }
        }
    }

    /** Answers every parked poll empty (the session layer stops). */
    void close() {
        for (Poll poll : parked) {
            poll.future.complete(Optional.empty());
        }
    }

    /** Polls parked now (for tests and diagnostics). */
    int parked() {
        return parked.size();
    }

    /** Completes the poll if there is something to say; returns whether it did. */
    private boolean answer(Poll poll) {
        Optional<PolicyUpdate> update;
        try {
            update = current.apply(poll.sessionId);
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the policy of session {}: {}; the poll stays parked", poll.sessionId, e.getMessage());
            return false;
        }
        if (update.isEmpty()) {
            poll.future.complete(Optional.empty());
            return true;
        }
        if (update.get().version() > poll.afterVersion) {
            poll.future.complete(update);
            return true;
        }
        return false;
    }

    private record Poll(String sessionId, long afterVersion, CompletableFuture<Optional<PolicyUpdate>> future) {
        // identity semantics: two polls of one session with the same version are still two polls
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}

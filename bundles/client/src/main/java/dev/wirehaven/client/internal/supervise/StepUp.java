package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.internal.session.Authenticator;
import dev.wirehaven.client.internal.session.Session;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Answers a step-up (protocol 1.1): a policy asks the live session for one more factor, in the
 * {@code stepUp} of the status report's answer, and the client answers one of its methods with
 * {@code POST /api/v1/sessions/{id}/step-up} while the tunnel stays up.
 *
 * <p>It runs beside the lane, like the policy long poll: a person may take minutes to type a code or
 * to approve in a browser, and the status reports and the loss detection go on meanwhile.
 *
 * <p>A step-up that is not given (the server refused the answer, nobody answered, the approval lapsed,
 * the prompter cannot answer such a method) is reported as {@link Kind#STEP_UP_REFUSED} and never ends
 * the connection: what the session may still do is the server's decision. It is asked again only when
 * the server asks again: for the same session the same request is not answered twice in a row (a
 * person is not asked every status interval), but once the server stops asking, asks for other
 * methods, or the session is a new one, it is answered again. A failure that may pass (the server or
 * the network) is tried again at a later report, after the {@code Retry-After} of a rate limit.
 */
final class StepUp {

    private final Authenticator authenticator;
    private final Link link;
    private final Events events;
    private final Executor workers;
    private final Clock clock;

    private final Object lock = new Object();
    /** Guarded by lock: an answer is being given. */
    private boolean running;
    /** Guarded by lock: the thread giving it, interrupted by {@link #stop()}. */
    private Thread thread;
    /** Guarded by lock: counts {@link #stop()}s, so that an answer begun before one is not reported after it. */
    private long generation;
    /** Guarded by lock: the request that was not given, as {@link #key} makes it; not answered again as it is. */
    private List<Object> refused;
    /** Guarded by lock: no answer before this instant (a rate limit), or null. */
    private Instant notBefore;

    StepUp(Authenticator authenticator, Link link, Events events, Executor workers, Clock clock) {
        this.authenticator = authenticator;
        this.link = link;
        this.events = events;
        this.workers = workers;
        this.clock = clock;
    }

    /**
     * The server's latest word on a step-up for {@code session}: none when {@code prompts} is empty,
     * else answered beside the lane unless an answer is under way or this request was refused.
     */
    void asked(Session session, List<MethodPrompt> prompts) {
        asked(session, prompts.stream().map(MethodPrompt::method).toList(), prompts);
    }

    /** As {@link #asked(Session, List)}, from a {@code step_up_required} answer with its methods. */
    void asked(Session session, List<String> methods, List<MethodPrompt> prompts) {
        long g;
        List<Object> key;
        synchronized (lock) {
            if (session == null || methods.isEmpty()) {
                refused = null;
                return;
            }
            key = key(session, methods, prompts);
            if (running
                    || key.equals(refused)
                    || (notBefore != null && clock.instant().isBefore(notBefore))) {
                return;
            }
            running = true;
            g = generation;
        }
        events.info("The server asks for one more factor for this session (step-up): "
                + (prompts.isEmpty()
                        ? String.join(", ", methods)
                        : prompts.stream()
                                .map(p -> p.method() + " (" + p.prompt() + ")")
                                .collect(Collectors.joining(", "))));
        workers.execute(() -> answer(session, methods, prompts, key, g));
    }

    /** Ends an answer under way (a loss or the close): it is interrupted, and its outcome not reported. */
    void stop() {
        synchronized (lock) {
            generation++;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    private void answer(Session session, List<String> methods, List<MethodPrompt> prompts, List<Object> key, long g) {
        synchronized (lock) {
            if (g != generation || link.closing()) {
                running = false;
                return;
            }
            thread = Thread.currentThread();
        }
        try {
            SessionStatus st = authenticator.stepUp(session, methods, prompts);
            if (current(g)) {
                link.phase(st.phase());
                events.emit(Kind.STEP_UP_DONE, "Step-up done: the server accepted the further factor");
            }
        } catch (ClientException e) {
            switch (e.reason()) {
                case CANCELLED -> {}
                case RATE_LIMITED ->
                    later(g, e, e.retryAfter().map(clock.instant()::plus).orElse(null));
                case UNREACHABLE -> later(g, e, null);
                default -> refused(g, key, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            later(g, e, null);
        } finally {
            synchronized (lock) {
                running = false;
                thread = null;
            }
            Thread.interrupted(); // a stop() that interrupted this answer must not reach the pool's next task
        }
    }

    private boolean current(long g) {
        synchronized (lock) {
            return g == generation && !link.closing();
        }
    }

    private void refused(long g, List<Object> key, String why) {
        synchronized (lock) {
            if (g != generation) {
                return;
            }
            refused = key;
        }
        events.emit(
                Kind.STEP_UP_REFUSED,
                "Step-up not given: " + why + ". The tunnel stays up; the client answers again when the server"
                        + " asks again");
    }

    private void later(long g, Exception e, Instant retryAt) {
        synchronized (lock) {
            if (g != generation) {
                return;
            }
            notBefore = retryAt;
        }
        events.warning("Step-up could not be answered (" + e.getMessage() + "); trying again at a later status report");
    }

    private static List<Object> key(Session session, List<String> methods, List<MethodPrompt> prompts) {
        return List.of(session.id(), methods, prompts);
    }
}

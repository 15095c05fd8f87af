package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.internal.control.ControlApiException;
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
 *
 * <p>A call of the application that needs a step-up first (a resource asked for, {@link AccessRequests})
 * answers it in its own thread with its own prompter through {@link #answerNow}; meanwhile no answer
 * starts beside the lane, so that the person is not asked twice for the same factor.
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
    /** Guarded by lock: counts the step-ups the server accepted, so that a waiting caller sees one given meanwhile. */
    private long given;

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
                lock.notifyAll();
                return;
            }
            thread = Thread.currentThread();
        }
        try {
            SessionStatus st = authenticator.stepUp(session, methods, prompts);
            synchronized (lock) {
                given++;
            }
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
                lock.notifyAll();
            }
            Thread.interrupted(); // a stop() that interrupted this answer must not reach the pool's next task
        }
    }

    /**
     * Answers a step-up that a call of the application needs now ({@code step_up_required} with its
     * {@code methods} and {@code prompts}), in the caller's thread with {@code authenticator}'s prompter.
     * An answer under way beside the lane is waited for first; when the server accepted it, or when the
     * server no longer asks for a step-up ({@code 409 out_of_order}: it was given meanwhile), there is
     * nothing more to answer and this returns at once. A refusal is reported as
     * {@link Kind#STEP_UP_REFUSED}, and that request is then not answered again beside the lane.
     *
     * @param what what the step-up is for, for the events ("access to tcp 10.20.0.5:22")
     * @throws ClientException as {@link Authenticator#stepUp} does, or {@link ClientException.Reason#CANCELLED}
     *         when the caller is interrupted while it waits
     */
    void answerNow(
            Session session, List<String> methods, List<MethodPrompt> prompts, Authenticator authenticator, String what)
            throws IOException {
        synchronized (lock) {
            long seen = given;
            boolean waited = false;
            while (running) {
                waited = true;
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClientException(
                            ClientException.Reason.CANCELLED, "interrupted while a step-up was being answered", e);
                }
            }
            if (waited && given != seen) {
                return; // the answer beside the lane gave it
            }
            running = true;
        }
        events.info("The server asks for one more factor for " + what + " (step-up): "
                + (prompts.isEmpty()
                        ? String.join(", ", methods)
                        : prompts.stream()
                                .map(p -> p.method() + " (" + p.prompt() + ")")
                                .collect(Collectors.joining(", "))));
        try {
            SessionStatus st = authenticator.stepUp(session, methods, prompts);
            synchronized (lock) {
                given++;
                refused = null;
            }
            link.phase(st.phase());
            events.emit(Kind.STEP_UP_DONE, "Step-up done for " + what + ": the server accepted the further factor");
        } catch (ClientException e) {
            if (e.getCause() instanceof ControlApiException c && c.status() == 409 && "out_of_order".equals(c.code())) {
                return; // no step-up is asked any more: it was given meanwhile
            }
            if (e.reason() != ClientException.Reason.CANCELLED
                    && e.reason() != ClientException.Reason.RATE_LIMITED
                    && e.reason() != ClientException.Reason.UNREACHABLE) {
                synchronized (lock) {
                    refused = key(session, methods, prompts);
                }
                events.emit(Kind.STEP_UP_REFUSED, "Step-up for " + what + " not given: " + e.getMessage());
            }
            throw e;
        } finally {
            synchronized (lock) {
                running = false;
                lock.notifyAll();
            }
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

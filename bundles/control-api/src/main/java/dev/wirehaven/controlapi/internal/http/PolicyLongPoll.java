package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.sessions.spi.FlowException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy long poll ({@code GET /api/v1/sessions/{id}/policy?after=N&wait=S}): the request is
 * suspended in the servlet's async context until the flow's stage completes, so that a thousand
 * waiting clients hold no request thread. The answer is 200 with the newer policy, or 204 when the
 * wait ended without one.
 */
final class PolicyLongPoll {

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /**
     * How long past the requested wait the container keeps the request before answering 204 itself:
     * the flow completes the stage at the end of the wait, this only covers a stage that never completes.
     */
    static final Duration GRACE = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(PolicyLongPoll.class);

    private final ApiResponses responses;

    PolicyLongPoll(ApiResponses responses) {
        this.responses = responses;
    }

    /** The query of a long poll: the version the client has and how long it is willing to wait. */
    record Query(long after, Duration maxWait) {

        /** @throws ApiRefusal 400 naming the parameter that is not a number or out of range */
        static Query from(HttpServletRequest request) throws ApiRefusal {
            long after = number(parameter(request, "after"), "after", 0, Long.MAX_VALUE, 0);
            long wait = number(parameter(request, "wait"), "wait", 0, MAX_WAIT.toSeconds(), DEFAULT_WAIT.toSeconds());
            return new Query(after, Duration.ofSeconds(wait));
        }

        /**
         * A query parameter. The container decodes the query when the first one is asked for, and Jetty
         * throws its own unchecked BadMessageException for a query it cannot decode ({@code ?af%er=2}): that
         * is the client's mistake, a 400, not the 500 that the servlet makes of an unexpected exception.
         */
        private static String parameter(HttpServletRequest request, String name) throws ApiRefusal {
            try {
                return request.getParameter(name);
            } catch (RuntimeException undecodable) {
                throw ApiRefusal.invalid("The query cannot be decoded (a '%' must start an escape such as %20);"
                        + " send after=N&wait=S");
            }
        }

        private static long number(String raw, String name, long min, long max, long fallback) throws ApiRefusal {
            if (raw == null || raw.isEmpty()) {
                return fallback;
            }
            long value;
            try {
                value = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw ApiRefusal.invalid(
                        "Query parameter '" + name + "' must be a whole number from " + min + " to " + max);
            }
            if (value < min || value > max) {
                throw ApiRefusal.invalid("Query parameter '" + name + "' must be from " + min + " to " + max
                        + (name.equals("wait") ? " seconds" : ""));
            }
            return value;
        }
    }

    /**
     * Suspends the request until {@code stage} completes and answers it then.
     *
     * @param sessionId for the log only
     */
    void await(
            HttpServletRequest request,
            CompletionStage<Optional<PolicyUpdate>> stage,
            Duration wait,
            String sessionId) {
        AsyncContext async = request.startAsync();
        async.setTimeout(wait.plus(GRACE).toMillis());
        // exactly one of: the stage's answer, the container's timeout, the client going away
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                if (answered.compareAndSet(false, true)) {
                    LOG.warn(
                            "The policy long poll of session {} got no answer from the session service within {};"
                                    + " answering 204",
                            sessionId,
                            wait.plus(GRACE));
                    responses.noContent((HttpServletResponse) async.getResponse());
                    async.complete();
                }
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true);
                LOG.debug(
                        "Policy long poll of session {} ended by the connection: {}",
                        sessionId,
                        String.valueOf(event.getThrowable()));
            }

            @Override
            public void onComplete(AsyncEvent event) {
                answered.set(true);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // the request is suspended once only
            }
        });
        stage.whenComplete((update, failure) -> {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            // answered on a container thread, not on the thread of the flow that completed the stage
            async.start(() -> answer(async, update, failure, sessionId));
        });
    }

    private void answer(AsyncContext async, Optional<PolicyUpdate> update, Throwable failure, String sessionId) {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        try {
            if (failure == null) {
                if (update != null && update.isPresent()) {
                    responses.send(response, HttpServletResponse.SC_OK, update.get());
                } else {
                    responses.noContent(response);
                }
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof FlowException flow) {
                    ApiRefusal refusal = ApiRefusal.of(flow);
                    LOG.debug(
                            "Refused policy long poll of session {}: {} {}",
                            sessionId,
                            refusal.status(),
                            refusal.getMessage());
                    responses.refuse(response, refusal);
                } else {
                    LOG.error("The policy long poll of session {} failed", sessionId, cause);
                    responses.refuse(response, ApiRefusal.internal());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug(
                    "Policy long poll of session {}: the answer did not reach the client: {}", sessionId, e.toString());
        } finally {
            async.complete();
        }
    }
}

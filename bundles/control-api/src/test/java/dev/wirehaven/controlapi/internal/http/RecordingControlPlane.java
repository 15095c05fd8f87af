package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.sessions.spi.FlowException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A control plane that records each call with its arguments and answers with fixed, valid messages,
 * or fails every call with a given {@link FlowException}. The policy long poll answers with a stage
 * that the test completes.
 */
final class RecordingControlPlane implements ControlPlane {

    static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    static final Instant EXPIRES = Instant.parse("2026-11-25T22:00:00Z");

    /** One call: the method's name and its arguments. */
    record Call(String method, List<Object> arguments) {}

    private final List<Call> calls = new ArrayList<>();
    private final LinkedBlockingQueue<CompletableFuture<Optional<PolicyUpdate>>> polls = new LinkedBlockingQueue<>();
    private volatile FlowException failure;
    /** What {@link #bodyTimeout()} answers. */
    volatile Duration bodyTimeout = ControlPlane.DEFAULT_BODY_TIMEOUT;

    private volatile RuntimeException bug;

    /** Every later call fails with {@code e}. */
    void failWith(FlowException e) {
        this.failure = e;
    }

    /** Every later call fails with {@code e}, as a bug in the flow would. */
    void breakWith(RuntimeException e) {
        this.bug = e;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The stage of the next policy long poll, once the servlet has asked for it. */
    CompletableFuture<Optional<PolicyUpdate>> nextPoll() throws InterruptedException {
        CompletableFuture<Optional<PolicyUpdate>> poll = polls.poll(30, TimeUnit.SECONDS);
        if (poll == null) {
            throw new AssertionError("the servlet did not start a policy long poll");
        }
        return poll;
    }

    private synchronized void record(String method, Object... arguments) throws FlowException {
        calls.add(new Call(method, Arrays.asList(arguments)));
        FlowException e = failure;
        if (e != null) {
            throw e;
        }
        RuntimeException b = bug;
        if (b != null) {
            throw b;
        }
    }

    static SessionStatus status(SessionPhase phase) {
        return new SessionStatus("s1", phase, "alice", List.of("10.8.0.2/32"), EXPIRES, null, 10, 20, 1);
    }

    @Override
    public AuthChallenge requestConnection(ConnectionRequest request, InetAddress source) throws FlowException {
        record("requestConnection", request, source);
        return new AuthChallenge("s1", List.of("password"), EXPIRES);
    }

    @Override
    public SessionGrant authenticate(String sessionId, AuthResponse response, InetAddress source) throws FlowException {
        record("authenticate", sessionId, response, source);
        return new SessionGrant(sessionId, "token-1", EXPIRES);
    }

    @Override
    public ServerConfig serverConfig(String sessionId, String token, String requestHost) throws FlowException {
        record("serverConfig", sessionId, token, requestHost);
        return new ServerConfig(
                KEY,
                requestHost + ":51820",
                List.of("10.8.0.2/32"),
                List.of("10.8.0.0/24"),
                List.of(),
                1420,
                List.of("10.8.0.0/24"),
                25,
                KEY);
    }

    @Override
    public SessionStatus clientConfig(String sessionId, String token, ClientConfig config) throws FlowException {
        record("clientConfig", sessionId, token, config);
        return status(SessionPhase.CONFIGURED);
    }

    @Override
    public SessionStatus confirm(String sessionId, String token, SetupConfirmation confirmation) throws FlowException {
        record("confirm", sessionId, token, confirmation);
        return status(SessionPhase.ACTIVE);
    }

    @Override
    public SessionStatus status(String sessionId, String token) throws FlowException {
        record("status", sessionId, token);
        return status(SessionPhase.ACTIVE);
    }

    @Override
    public SessionStatus report(String sessionId, String token, StatusReport report) throws FlowException {
        record("report", sessionId, token, report);
        return status(SessionPhase.ACTIVE);
    }

    @Override
    public CompletionStage<Optional<PolicyUpdate>> policyAfter(
            String sessionId, String token, long afterVersion, Duration wait) throws FlowException {
        record("policyAfter", sessionId, token, afterVersion, wait);
        CompletableFuture<Optional<PolicyUpdate>> poll = new CompletableFuture<>();
        polls.add(poll);
        return poll;
    }

    @Override
    public void acknowledgePolicy(String sessionId, String token, PolicyAck ack) throws FlowException {
        record("acknowledgePolicy", sessionId, token, ack);
    }

    @Override
    public SessionGrant reauthenticate(String sessionId, String token, AuthResponse response, InetAddress source)
            throws FlowException {
        record("reauthenticate", sessionId, token, response, source);
        return new SessionGrant(sessionId, "token-2", EXPIRES);
    }

    @Override
    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    @Override
    public SessionStatus disconnect(String sessionId, String token) throws FlowException {
        record("disconnect", sessionId, token);
        return status(SessionPhase.DISCONNECTED);
    }
}

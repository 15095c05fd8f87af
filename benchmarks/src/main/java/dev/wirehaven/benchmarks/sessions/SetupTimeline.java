package dev.wirehaven.benchmarks.sessions;

import dev.wirehaven.client.ConnectionEvent;
import dev.wirehaven.client.ConnectionListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When each step of one client's setup happened, in {@link System#nanoTime()} from the moment its
 * {@code connect} call started. The control steps come from the SDK's progress events (emitted
 * synchronously on the connecting thread, so the time of receipt is the time of the step); the
 * handshake comes from the UDP socket itself ({@link TimingBind}), because the SDK has no event for it.
 *
 * <p>The event texts are the SDK's sentences ({@code Connector.establish}, {@code SetupFlow.establish}
 * and {@code awaitActive}); a step whose sentence changed is reported as missing, never as zero.
 */
final class SetupTimeline implements ConnectionListener {

    /** Steps 1-4: the challenge came back and was answered. */
    private static final String AUTHENTICATED = "Authenticated as ";
    /** Steps 6-7 done: the server added the peer. */
    private static final String CLIENT_CONFIG = "Client config accepted";
    /** The confirmation came back without ACTIVE: the client now polls the status until the server reports it. */
    private static final String WAITING = "Setup confirmed; waiting";

    static final long NONE = -1;

    private volatile long start = NONE;
    private volatile long authenticated = NONE;
    private volatile long clientConfigured = NONE;
    private volatile long confirmedWithoutActive = NONE;
    private volatile long active = NONE;
    private volatile long initiationSent = NONE;
    private volatile long responseReceived = NONE;
    private final AtomicInteger initiations = new AtomicInteger();
    private final AtomicInteger cookieReplies = new AtomicInteger();
    private volatile String methods = "";

    /** The {@code connect} call starts now. */
    void start() {
        start = System.nanoTime();
    }

    @Override
    public void onEvent(ConnectionEvent event) {
        long now = System.nanoTime();
        String m = event.message();
        switch (event.kind()) {
            case CONNECTED -> {
                if (active == NONE) {
                    active = now;
                }
            }
            case INFO -> {
                if (m.startsWith("Session ") && m.contains(": the server accepts ")) {
                    methods = m.substring(m.indexOf(": the server accepts ") + ": the server accepts ".length());
                } else if (m.startsWith(AUTHENTICATED) && authenticated == NONE) {
                    authenticated = now;
                } else if (m.startsWith(CLIENT_CONFIG) && clientConfigured == NONE) {
                    clientConfigured = now;
                } else if (m.startsWith(WAITING) && confirmedWithoutActive == NONE) {
                    confirmedWithoutActive = now;
                }
            }
            default -> {
                // LOST, RETRYING etc. cannot happen inside connect(); after it they are not setup
            }
        }
    }

    /** The device sent a handshake initiation (message type 1). */
    void initiationSent() {
        long now = System.nanoTime();
        if (initiationSent == NONE) {
            initiationSent = now;
        }
        initiations.incrementAndGet();
    }

    /** The device received the server's handshake response (message type 2). */
    void responseReceived() {
        long now = System.nanoTime();
        if (responseReceived == NONE) {
            responseReceived = now;
        }
    }

    /** The server answered an initiation with a cookie (message type 3): it considers itself under load. */
    void cookieReceived() {
        cookieReplies.incrementAndGet();
    }

    /** connect() to ACTIVE. */
    long total() {
        return between(start, active);
    }

    /** Steps 1-4: request, challenge, credentials, token. */
    long authentication() {
        return between(start, authenticated);
    }

    /** Steps 1-7: every control call before the tunnel comes up. */
    long controlSteps() {
        return between(start, clientConfigured);
    }

    /** Client config accepted to the first handshake initiation: the device is created and configured. */
    long tunnelUp() {
        return between(clientConfigured, initiationSent);
    }

    /** Initiation sent to response received, as the client's socket saw them. */
    long handshake() {
        return between(initiationSent, responseReceived);
    }

    /** From the handshake response to ACTIVE: the confirmation call and, if it was too early, the polling. */
    long handshakeToActive() {
        return between(responseReceived, active);
    }

    /** True when the confirmation call already got ACTIVE (no polling). */
    boolean activeAtConfirmation() {
        return active != NONE && confirmedWithoutActive == NONE;
    }

    int initiations() {
        return initiations.get();
    }

    int cookieReplies() {
        return cookieReplies.get();
    }

    /** The auth methods the server offered, as the SDK reported them. */
    String methods() {
        return methods;
    }

    private static long between(long from, long to) {
        return from == NONE || to == NONE ? NONE : to - from;
    }
}

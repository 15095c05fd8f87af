package dev.wirehaven.sessions.spi;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The seed's connection flow as the control API sees it: one method per step, each answering the
 * message of the next step or failing with a {@link FlowException} that says which 4xx it is. The
 * HTTP layer ({@code internal.api}) only binds JSON and maps failures to status codes; every decision
 * (order of steps, tokens, rate limits, what a peer may route) is taken behind this interface.
 *
 * <p>A failed call changes no state, except that failed authentication counts towards the rate limit
 * and an expired session found on the way is cleaned up.
 *
 * <p>{@code token} is the bearer token exactly as the client sent it (without the {@code Bearer }
 * prefix), or {@code null} when the request had none.
 */
public interface ControlPlane {

    /** How long the control API waits for a request's whole body when no flow says otherwise. */
    Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How long the HTTP layer may take to receive the whole body of one request, from the moment it
     * starts reading it; past it, the request is refused (408) and its connection closed, so that a
     * client that sends slowly cannot keep a request open. The operator's {@code api.body.timeout}.
     */
    default Duration bodyTimeout() {
        return DEFAULT_BODY_TIMEOUT;
    }

    /** Step 1 to 2: a client asks to connect; the server challenges it. */
    AuthChallenge requestConnection(ConnectionRequest request, InetAddress source) throws FlowException;

    /** Steps 3 to 4: the client answers the challenge; the server accepts it with a session token. */
    SessionGrant authenticate(String sessionId, AuthResponse response, InetAddress source) throws FlowException;

    /**
     * Step 5: the server's side of the tunnel for this session.
     *
     * @param requestHost the host name the client used to reach the API (from the Host header), which is
     *        the endpoint's host when the operator configured none; may be {@code null}
     */
    ServerConfig serverConfig(String sessionId, String token, String requestHost) throws FlowException;

    /** Steps 6 to 7: the client's side; the server adds the client as a peer of its device. */
    SessionStatus clientConfig(String sessionId, String token, ClientConfig config) throws FlowException;

    /** Steps 8 to 9: the client configured its interface; active once the first handshake completed. */
    SessionStatus confirm(String sessionId, String token, SetupConfirmation confirmation) throws FlowException;

    /** The session as the server sees it now. */
    SessionStatus status(String sessionId, String token) throws FlowException;

    /** Keep-alive ping with the client's metrics; the answer is the pong. */
    SessionStatus report(String sessionId, String token, StatusReport report) throws FlowException;

    /**
     * Long poll for a policy newer than {@code afterVersion}. The stage completes with the update as
     * soon as there is one, or empty after {@code wait}; it never holds a request thread meanwhile.
     */
    CompletionStage<Optional<PolicyUpdate>> policyAfter(
            String sessionId, String token, long afterVersion, Duration wait) throws FlowException;

    /** The client applied (or could not apply) a policy version. */
    void acknowledgePolicy(String sessionId, String token, PolicyAck ack) throws FlowException;

    /** Re-authentication before the session lapses: a new token and expiry, the tunnel kept. */
    SessionGrant reauthenticate(String sessionId, String token, AuthResponse response, InetAddress source)
            throws FlowException;

    /**
     * A step-up factor during a live session, asked for by a policy ({@link SessionStatus#stepUp()}):
     * the tunnel stays up whatever the answer.
     *
     * @return the session with the step-up done (its {@code stepUp} empty)
     * @throws FlowException {@link FlowFailure#OUT_OF_ORDER} when no step-up is asked for, and as for
     *         {@link #authenticate}
     */
    default SessionStatus stepUp(String sessionId, String token, AuthResponse response, InetAddress source)
            throws FlowException {
        throw new FlowException(FlowFailure.OUT_OF_ORDER, "This server asks for no step-up");
    }

    /**
     * A resource asked for during a live session (seed UC2): the policy engines decide; an allowed
     * resource is open until the grant lapses; a resource behind a step-up needs one more factor
     * first ({@link FlowFailure#STEP_UP_REQUIRED} with the prompts, then {@link #stepUp}, then ask again).
     *
     * @throws FlowException {@link FlowFailure#FORBIDDEN} when the policy denies it
     */
    default ResourceGrant requestAccess(String sessionId, String token, ResourceRequest request) throws FlowException {
        throw new FlowException(FlowFailure.OUT_OF_ORDER, "This server grants no resources on request");
    }

    /** Disconnection request: peer removed, lease released, session closed; answers the closed session. */
    SessionStatus disconnect(String sessionId, String token) throws FlowException;
}

package dev.wirehaven.sessions.internal.session;

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
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.sessions.spi.FlowException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The seed's connection flow behind {@link ControlPlane}, step group by step group, in the order a
 * client goes through them:
 * <ol>
 * <li>{@link ConnectionRequests}: connection request, auth challenge (steps 1-2);</li>
 * <li>{@link Logins}: auth response, validate and accept with a token (3-4), and re-authentication;</li>
 * <li>{@link Setup}: server config, client config, configure interface, confirm setup (5-8);</li>
 * <li>{@link KeepAlive}: keep-alive and status reports, policy updates, disconnection (9-10).</li>
 * </ol>
 * Each step checks the token and the phase, does its work under the session's lock, saves the next
 * phase and records the step ({@link SessionAccess}); a refused step changes nothing (except the
 * failed-login counts, and the cleanup of a session found expired).
 */
final class SessionFlow implements ControlPlane {

    private final Supplier<SessionSettings> settings;
    private final ConnectionRequests requests;
    private final Logins logins;
    private final Setup setup;
    private final KeepAlive keepAlive;
    private final StepUps stepUps;
    private final AuthChain chain;
    private final ResourceRequests resources;

    SessionFlow(
            Supplier<SessionSettings> settings,
            ConnectionRequests requests,
            Logins logins,
            Setup setup,
            KeepAlive keepAlive,
            StepUps stepUps,
            AuthChain chain,
            ResourceRequests resources) {
        this.resources = resources;
        this.stepUps = stepUps;
        this.chain = chain;
        this.settings = settings;
        this.requests = requests;
        this.logins = logins;
        this.setup = setup;
        this.keepAlive = keepAlive;
    }

    @Override
    public AuthChallenge requestConnection(ConnectionRequest request, InetAddress source) throws FlowException {
        return requests.request(request, source);
    }

    @Override
    public SessionGrant authenticate(String sessionId, AuthResponse response, InetAddress source) throws FlowException {
        return logins.authenticate(sessionId, response, source);
    }

    @Override
    public ServerConfig serverConfig(String sessionId, String token, String requestHost) throws FlowException {
        return setup.serverConfig(sessionId, token, requestHost);
    }

    @Override
    public SessionStatus clientConfig(String sessionId, String token, ClientConfig config) throws FlowException {
        return setup.clientConfig(sessionId, token, config);
    }

    @Override
    public SessionStatus confirm(String sessionId, String token, SetupConfirmation confirmation) throws FlowException {
        return stepUps.decorate(setup.confirm(sessionId, token, confirmation), chain);
    }

    @Override
    public SessionStatus status(String sessionId, String token) throws FlowException {
        return stepUps.decorate(keepAlive.status(sessionId, token), chain);
    }

    @Override
    public SessionStatus report(String sessionId, String token, StatusReport report) throws FlowException {
        return stepUps.decorate(keepAlive.report(sessionId, token, report), chain);
    }

    @Override
    public CompletionStage<Optional<PolicyUpdate>> policyAfter(
            String sessionId, String token, long afterVersion, Duration wait) throws FlowException {
        return keepAlive.policyAfter(sessionId, token, afterVersion, wait);
    }

    @Override
    public void acknowledgePolicy(String sessionId, String token, PolicyAck ack) throws FlowException {
        keepAlive.acknowledgePolicy(sessionId, token, ack);
    }

    @Override
    public SessionGrant reauthenticate(String sessionId, String token, AuthResponse response, InetAddress source)
            throws FlowException {
        return logins.reauthenticate(sessionId, token, response, source);
    }

    @Override
    public SessionStatus stepUp(String sessionId, String token, AuthResponse response, InetAddress source)
            throws FlowException {
        logins.stepUp(sessionId, token, response, source, stepUps);
        return status(sessionId, token);
    }

    /**
     * Asks an open authenticated session for one more factor (a policy's STEP_UP).
     *
     * @return false when the session is not open and authenticated
     */
    boolean requestStepUp(String sessionId, List<String> methods, String reason) {
        if (!keepAlive.isLive(sessionId)) {
            return false;
        }
        stepUps.ask(sessionId, methods, reason);
        return true;
    }

    @Override
    public ResourceGrant requestAccess(String sessionId, String token, ResourceRequest request) throws FlowException {
        return resources.request(sessionId, token, request);
    }

    @Override
    public SessionStatus disconnect(String sessionId, String token) throws FlowException {
        stepUps.done(sessionId);
        return keepAlive.disconnect(sessionId, token);
    }

    @Override
    public Duration bodyTimeout() {
        return settings.get().bodyTimeout();
    }

    /** Ends an open session for an operator; empty when there is none with that id. */
    Optional<SessionRecord> revoke(String sessionId, String by) {
        return keepAlive.revoke(sessionId, by);
    }

    /** The newest policy of a session as the client applies it, or empty when the session has ended. */
    Optional<PolicyUpdate> currentPolicy(String sessionId) {
        return keepAlive.currentPolicy(sessionId);
    }
}

package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;

/** Steps 1 to 2 of the flow: a client asks to connect, and the server challenges it with the methods it accepts. */
final class ConnectionRequests {

    private final Supplier<SessionSettings> settings;
    private final RequestAdmission admission;
    private final AuthChain chain;
    private final SessionRepository sessions;
    private final SessionTokens tokens;
    private final PeerTable table;
    private final FlowEvents events;

    ConnectionRequests(
            Supplier<SessionSettings> settings,
            RequestAdmission admission,
            AuthChain chain,
            SessionRepository sessions,
            SessionTokens tokens,
            PeerTable table,
            FlowEvents events) {
        this.settings = settings;
        this.admission = admission;
        this.chain = chain;
        this.sessions = sessions;
        this.tokens = tokens;
        this.table = table;
        this.events = events;
    }

    AuthChallenge request(ConnectionRequest request, InetAddress source) throws FlowException {
        return SessionAccess.guarded(() -> {
            SessionSettings c = settings.get();
            String sourceKey = source == null ? null : SourceKey.of(source);
            admission.takeRequest(sourceKey, c.requests());
            String requested = requestedAddress(request);
            if (request.publicKey().equals(table.publicKey())) {
                throw FlowErrors.invalid("publicKey is the server's own key; generate a key pair for the client");
            }
            List<String> methods = chain.methods();
            if (methods.isEmpty()) {
                throw new FlowException(
                        FlowFailure.UNAVAILABLE,
                        "The server has no auth provider installed and cannot"
                                + " authenticate anyone now; ask the operator");
            }
            SessionRecord s = admission.admitPending(sourceKey, c.requests(), now -> {
                SessionRecord challenged = SessionRecord.challenged(
                        tokens.newSessionId(),
                        request.publicKey(),
                        request.deviceName(),
                        source == null ? null : source.getHostAddress(),
                        requested,
                        now,
                        now.plus(c.challengeTimeout()),
                        methods);
                sessions.insert(challenged, sourceKey);
                return challenged;
            });
            events.step(
                    s,
                    SessionPhase.REQUESTED,
                    "connection request" + (source == null ? "" : " from " + source.getHostAddress()) + " for device '"
                            + s.deviceName() + "', key " + s.clientPublicKey()
                            + (requested == null ? "" : ", asking for " + requested));
            events.step(s, SessionPhase.CHALLENGED, "challenged with " + String.join(", ", methods));
            return new AuthChallenge(s.id(), methods, s.expiresAt(), chain.prompts(methods));
        });
    }

    /** The address the client asked for, as the store keeps it, or null. */
    private static String requestedAddress(ConnectionRequest request) throws FlowException {
        if (request.requestedAddress() == null) {
            return null;
        }
        try {
            return Prefixes.parse(request.requestedAddress()).address().getHostAddress();
        } catch (IllegalArgumentException e) {
            throw FlowErrors.invalid("requestedAddress is not an IP address");
        }
    }
}

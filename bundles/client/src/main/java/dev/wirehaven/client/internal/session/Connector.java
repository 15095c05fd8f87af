package dev.wirehaven.client.internal.session;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The control steps of the seed's connection flow up to the point where the tunnel comes up:
 * connection request (1), challenge and credentials (2-4), server config (5), client config
 * (6-7); and the confirmation (8) once the tunnel is up. A failure after authentication ends the
 * half-made session on the server, so that its address lease is not held until the session lapses.
 */
public final class Connector {

    /** How long the clean-up of a failed flow may take; the failure is what the caller reports. */
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(5);

    private final ControlClient control;
    private final Authenticator authenticator;
    private final Consumer<String> progress;

    /** @param progress told each step's outcome as a sentence, for a person following the connection */
    public Connector(ControlClient control, Authenticator authenticator, Consumer<String> progress) {
        this.control = control;
        this.authenticator = authenticator;
        this.progress = progress;
    }

    /** What steps 1 to 7 produced. */
    public record Established(Session session, ServerConfig config, SessionStatus status) {}

    /**
     * Runs steps 1 to 7.
     *
     * @param requestedAddress the address to ask for again (a reconnect), or {@code null}
     */
    public Established establish(Key publicKey, String requestedAddress, String deviceName) throws IOException {
        return establish(publicKey, requestedAddress, deviceName, List.of());
    }

    /** As {@link #establish(Key, String, String)}, asking the server to route {@code advertised} to this client. */
    public Established establish(Key publicKey, String requestedAddress, String deviceName, List<String> advertised)
            throws IOException {
        AuthChallenge challenge =
                control.requestSession(new ConnectionRequest(publicKey.toBase64(), requestedAddress, deviceName));
        progress.accept(
                "Session " + challenge.sessionId() + ": the server accepts " + String.join(", ", challenge.methods()));
        SessionGrant grant = authenticator.authenticate(challenge);
        Session session = new Session(grant);
        progress.accept(
                "Authenticated as " + authenticator.username() + "; the session lasts until " + grant.expiresAt());
        try {
            ServerConfig config = control.serverConfig(session.id(), session.token());
            progress.accept("Server config: address " + String.join(", ", config.addresses()) + ", endpoint "
                    + config.endpoint() + ", routes " + String.join(", ", config.routes()) + ", MTU " + config.mtu());
            SessionStatus status = control.clientConfig(
                    session.id(), session.token(), new ClientConfig(publicKey.toBase64(), advertised));
            progress.accept("Client config accepted; the server added this client as a peer (" + status.phase() + ")"
                    + (advertised.isEmpty() ? "" : "; it routes " + String.join(", ", advertised) + " to this client"));
            return new Established(session, config, status);
        } catch (ControlApiException e) {
            abandon(session);
            throw refused("the configuration", e);
        } catch (IOException | RuntimeException e) {
            abandon(session);
            throw e;
        }
    }

    /** Step 8: the tunnel is configured on this side. */
    public SessionStatus confirm(Session session, String interfaceName) throws IOException {
        try {
            return control.confirm(session.id(), session.token(), new SetupConfirmation(interfaceName));
        } catch (ControlApiException e) {
            throw refused("the setup confirmation", e);
        }
    }

    /** Ends a session that will not be used, quietly: the caller is already reporting a failure. */
    public void abandon(Session session) {
        try {
            control.disconnect(session.id(), session.token(), CLEANUP_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            // the server's reaper removes it when its setup times out
        }
    }

    /** A refusal of a step after authentication, as the person connecting should read it. */
    public static ClientException refused(String step, ControlApiException e) {
        return new ClientException(
                e.status() == 429 ? Reason.RATE_LIMITED : Reason.REFUSED,
                "the server refused " + step + " (" + e.status() + " " + e.code() + "): "
                        + e.error().message(),
                e.retryAfter().orElse(null),
                e);
    }
}

package dev.wirehaven.client;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An established connection to a Wirehaven server, from {@link WirehavenClient#connect}: the
 * session, the tunnel, and the work that keeps them up (status reports, policy updates,
 * re-authentication, and after a loss the diagnosis and the reconnects with backoff).
 */
@ProviderType
public interface Connection extends AutoCloseable {

    /** The state now. */
    ConnectionStatus status();

    /**
     * Waits until the connection is closed, by {@link #close()} or because it could not be kept.
     *
     * @return true if it closed within the timeout
     */
    boolean awaitClosed(Duration timeout) throws InterruptedException;

    /** Why the connection closed by itself (the server refused to renew it, the credentials stopped working), if it did. */
    Optional<ClientException> failure();

    /**
     * Asks the server to open one resource through the tunnel (seed use case 2: request resource, access
     * check, confirm policy, grant access), and returns the grant: the server's policy allowed it, and
     * the server's data plane lets the traffic through until {@link AccessGrant#until()}, when the grant
     * lapses and the resource closes again. A grant belongs to the session; after a reconnect that needed a
     * new session, ask again.
     *
     * <p>{@code host} is an IP address, which is sent as it is, or a name, which the client resolves here
     * (the server never resolves names): of its addresses the first of a family that the tunnel has an
     * address of and that the tunnel routes, else the first. When the policy asks for a further factor
     * first ({@code step_up_required}), the client answers it with the connection's
     * {@link CredentialPrompter} (as {@link #requestAccess(String, int, AccessProtocol, CredentialPrompter)}
     * does with another) and asks for the resource again, once. Blocks while the server decides and the
     * person answers.
     *
     * @param port 1..65535 for {@link AccessProtocol#TCP} and {@link AccessProtocol#UDP}, 0 for
     *        {@link AccessProtocol#ICMP}
     * @throws IllegalArgumentException if the port does not fit the protocol, or {@code host} is empty
     * @throws UnknownHostException if {@code host} is a name that does not resolve
     * @throws ClientException saying why the resource was not granted: {@link ClientException.Reason#DENIED}
     *         when the policy does not allow it (with the server's reason) or asks for a further factor
     *         again after it was given; {@link ClientException.Reason#AUTHENTICATION_FAILED},
     *         {@link ClientException.Reason#NO_CREDENTIALS} or {@link ClientException.Reason#RATE_LIMITED}
     *         when the further factor was not given; {@link ClientException.Reason#REFUSED} when the
     *         connection is not active (reconnecting) or the server refused the call for another reason;
     *         {@link ClientException.Reason#UNREACHABLE} when the server did not answer;
     *         {@link ClientException.Reason#CANCELLED} when the connection is closed or the thread interrupted
     * @since 2.2
     */
    AccessGrant requestAccess(String host, int port, AccessProtocol protocol) throws IOException;

    /**
     * As {@link #requestAccess(String, int, AccessProtocol)}, with a further factor asked through
     * {@code prompter} instead of the connection's: an application whose access requests come from
     * another place than its connection (another window, another process) asks the person there.
     *
     * @since 2.2
     */
    AccessGrant requestAccess(String host, int port, AccessProtocol protocol, CredentialPrompter prompter)
            throws IOException;

    /**
     * Disconnects cleanly: the server ends the session (the peer is removed, the address released),
     * the tunnel goes down, routes and DNS are restored. Blocks until done; idempotent.
     */
    @Override
    void close();
}

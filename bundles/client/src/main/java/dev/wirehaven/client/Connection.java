package dev.wirehaven.client;

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
     * Disconnects cleanly: the server ends the session (the peer is removed, the address released),
     * the tunnel goes down, routes and DNS are restored. Blocks until done; idempotent.
     */
    @Override
    void close();
}

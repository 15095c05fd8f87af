package dev.wirehaven.api.control;

/**
 * Step 8, client to server ({@code POST /api/v1/sessions/{id}/confirm}): the client has configured
 * its interface with the server's config. The session becomes active with the first handshake.
 *
 * @param interfaceName the client's interface name, for display; may be empty
 */
public record SetupConfirmation(String interfaceName) {

    /** Validates. */
    public SetupConfirmation {
        interfaceName = Messages.name("interfaceName", interfaceName, false);
    }
}

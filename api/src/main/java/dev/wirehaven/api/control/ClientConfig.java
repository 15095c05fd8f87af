package dev.wirehaven.api.control;

import java.util.List;

/**
 * Step 6, client to server ({@code PUT /api/v1/sessions/{id}/client-config}): the client's side of
 * the peer. The server then adds the client as a peer of its WireGuard device (step 7).
 *
 * @param publicKey the client's WireGuard public key; must be the one of the connection request
 * @param allowedIps subnets behind the client that it routes into the tunnel (site-to-site), beyond
 *        its own tunnel addresses; the server admits only those that policy allows. Empty for a
 *        remote worker.
 */
public record ClientConfig(String publicKey, List<String> allowedIps) {

    /** Validates. */
    public ClientConfig {
        publicKey = Messages.key("publicKey", publicKey);
        allowedIps = Messages.list("allowedIps", allowedIps);
    }
}

package dev.wirehaven.api.control;

/**
 * Step 1, client to server ({@code POST /api/v1/sessions}): the client asks to connect.
 *
 * @param publicKey the client's WireGuard public key
 * @param requestedAddress a tunnel address the client would like back (such as the one it had before),
 *        or {@code null}; the server grants it only when it is free in its pool, else assigns another
 * @param deviceName a name for the device, shown to operators and used to keep the address stable per
 *        user and device; not trusted, may be empty
 */
public record ConnectionRequest(String publicKey, String requestedAddress, String deviceName) {

    /** Validates; an invalid field is named in the exception's message. */
    public ConnectionRequest {
        publicKey = Messages.key("publicKey", publicKey);
        deviceName = Messages.name("deviceName", deviceName, false);
        if (requestedAddress != null && requestedAddress.isBlank()) {
            requestedAddress = null;
        }
    }
}

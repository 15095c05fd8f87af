package dev.wirehaven.controlapi.internal.tls;

/**
 * The control API's HTTPS endpoint as the rest of the server sees it, once its certificate is in
 * place and Felix HTTP has been told to serve it.
 */
public interface HttpsEndpoint {

    /** The TCP port of HTTPS. */
    int port();

    /** The SHA-256 fingerprint of the served certificate, as clients pin it ({@code AB:CD:...}). */
    String fingerprint();
}

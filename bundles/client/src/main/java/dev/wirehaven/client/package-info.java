/**
 * The Wirehaven client SDK, for applications that embed the tunnel: {@link dev.wirehaven.client.WirehavenClient}
 * runs the control flow of {@code docs/control-api.md} over HTTPS against a server pinned by the
 * SHA-256 fingerprint of its public key, brings the tunnel up on a {@link dev.wirehaven.client.TunnelPlatform} (a Linux
 * interface with routes and DNS, or the application's own) with Wirehaven's own WireGuard data plane, and keeps
 * the resulting {@link dev.wirehaven.client.Connection} up: status reports, policy updates,
 * re-authentication before expiry, diagnosis and reconnect with backoff after a loss, and a clean
 * disconnect. Credentials come from the application's {@link dev.wirehaven.client.CredentialPrompter}.
 * {@link dev.wirehaven.client.ConfigQrCode} renders an exported stock config as the QR code that the
 * WireGuard mobile apps scan (1.1).
 * 2.0: {@code MemoryPlatform} left the SDK for the test-support bundle wirehaven-client-testing
 * ({@code dev.wirehaven.client.testing}), with the in-memory TUN it is built on.
 * 2.1: protocol 1.1 of the server: {@link dev.wirehaven.client.CredentialPrompter} asks by the kind of
 * credential with the server's prompt text ({@code answers}, {@code secret}, {@code showApproval}, all
 * default methods), approvals given in a browser, step-up during a session (events {@code STEP_UP_DONE},
 * {@code STEP_UP_REFUSED}); the server is pinned by the SHA-256 of its public key, so that a renewed
 * certificate with the same key is accepted, and {@code WirehavenClient.Builder.trustOnFirstUse(false)}
 * refuses a server that is neither given nor recorded.
 * 2.2: resources on request (seed use case 2): {@link dev.wirehaven.client.Connection#requestAccess} asks the
 * server to open one resource ({@link dev.wirehaven.client.AccessProtocol} TCP or UDP port, or ICMP) through
 * the tunnel and returns its {@link dev.wirehaven.client.AccessGrant} (until when, and why); a further factor
 * that the policy asks for first is answered with a prompter and the request sent again once; a refusal is
 * {@link dev.wirehaven.client.ClientException.Reason#DENIED}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package dev.wirehaven.client;

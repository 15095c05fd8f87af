/**
 * The Wirehaven client SDK, for applications that embed the tunnel: {@link dev.wirehaven.client.WirehavenClient}
 * runs the control flow of {@code docs/control-api.md} over HTTPS against a certificate pinned by its
 * SHA-256 fingerprint, brings the tunnel up on a {@link dev.wirehaven.client.TunnelPlatform} (a Linux
 * interface with routes and DNS, or the application's own) with Wirehaven's own WireGuard data plane, and keeps
 * the resulting {@link dev.wirehaven.client.Connection} up: status reports, policy updates,
 * re-authentication before expiry, diagnosis and reconnect with backoff after a loss, and a clean
 * disconnect. Credentials come from the application's {@link dev.wirehaven.client.CredentialPrompter}.
 * {@link dev.wirehaven.client.ConfigQrCode} renders an exported stock config as the QR code that the
 * WireGuard mobile apps scan (1.1).
 * 2.0: {@code MemoryPlatform} left the SDK for the test-support bundle wirehaven-client-testing
 * ({@code dev.wirehaven.client.testing}), with the in-memory TUN it is built on.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package dev.wirehaven.client;

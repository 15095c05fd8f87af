/**
 * The control protocol between a Wirehaven client and server, version 1: the JSON bodies that travel
 * over HTTPS under {@code /api/v1}. Each record is one message of the seed's connection flow; the
 * steps, paths and status codes are described in {@code docs/control-api.md}.
 *
 * <p>The records are plain values so that any JSON library can bind them; the server and the client
 * SDK bind them with Jackson. Unknown fields are an error, not ignored: a client that sends a field
 * the server does not know learns it at once. Times are ISO-8601 instants in UTC. Keys are standard
 * base64 of 32 bytes, as {@code wg} prints them. Addresses and prefixes are literal text such as
 * {@code 10.8.0.2/32}.
 *
 * <p>1.2: {@link Gateway}, and the gateway lists of {@link ServerConfig} and {@link PolicyUpdate} (several
 * gateway nodes: failover without a new login).
 *
 * <p>1.3: {@link ServerConfig#gateway()}, the node that carries the session's tunnel, whose control API the
 * client calls from then on.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package dev.wirehaven.api.control;

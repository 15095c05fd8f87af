package dev.wirehaven.console.internal.sink;

import java.time.Instant;

/**
 * The tunnel's throughput on one interface at one sample of the server's device: bytes per second
 * received from and sent to the clients, summed over the sessions sampled then.
 *
 * @param time when the server sampled its device
 * @param receivedPerSecond bytes per second that came in through the tunnel
 * @param sentPerSecond bytes per second that went out through the tunnel
 */
public record ThroughputPoint(Instant time, double receivedPerSecond, double sentPerSecond) {}

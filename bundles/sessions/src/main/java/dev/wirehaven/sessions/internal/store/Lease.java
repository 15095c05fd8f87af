package dev.wirehaven.sessions.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An address of a pool held for one user's device. A lease that was released keeps its holder, so
 * that the same device gets the same address back as long as nobody else needed it.
 *
 * @param pool the pool's subnet in {@code address/length} notation
 * @param address the leased address, as {@link java.net.InetAddress#getHostAddress()} writes it
 * @param user the user who holds it
 * @param device the device name the client gave
 * @param sessionId the session using it now, or null when none does
 * @param leasedAt when it was last handed out
 * @param releasedAt when it was released, or null while it is in use
 */
public record Lease(
        String pool,
        String address,
        String user,
        String device,
        String sessionId,
        Instant leasedAt,
        Instant releasedAt) {

    public Lease {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(leasedAt, "leasedAt");
    }

    /** True while a session uses the address: nobody else may get it. */
    public boolean active() {
        return releasedAt == null;
    }

    /** True when this lease belongs to that user's device. */
    public boolean heldBy(String user, String device) {
        return this.user.equals(user) && this.device.equals(device);
    }
}

package dev.wirehaven.wireguard.conn;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Opens the device's UDP bind on a port. A device reopens its bind when its listen port changes, so
 * it holds a factory rather than a bind. {@code UdpBind::open} is the real one; tests
 * take in-memory ones from a {@code MemoryNetwork} (wirehaven-wireguard-testing).
 */
@ConsumerType
@FunctionalInterface
public interface BindFactory {

    /**
     * @param port the UDP port, or 0 for any free port
     */
    Bind open(int port) throws IOException;
}

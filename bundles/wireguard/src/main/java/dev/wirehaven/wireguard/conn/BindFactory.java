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

    /** System property that chooses the UDP path of {@link #system()}. */
    String PROPERTY = "wirehaven.udp";

    /**
     * System property: {@code false} keeps the batched binds of {@link #system()} on one socket, without
     * the {@linkplain Bind#handshakeLane() handshake lane} (on by default).
     *
     * @since 2.2
     */
    String HANDSHAKE_LANE_PROPERTY = "wirehaven.udp.handshakeLane";

    /**
     * The real UDP binds, the fastest that this host gives, chosen by the system property
     * {@value #PROPERTY}: {@code offload} (the default: {@link LinuxUdpBind} with UDP GSO and GRO where
     * the kernel grants them), {@code batch} ({@link LinuxUdpBind} without the offloads) or
     * {@code channel} ({@link UdpBind}); the batched ones with a {@linkplain Bind#handshakeLane() handshake
     * lane} unless {@value #HANDSHAKE_LANE_PROPERTY} is {@code false}. Where the batched bind cannot open (not 64-bit Linux, no JNA),
     * {@link UdpBind} is used and its {@link Bind#ioPath()} says why. A port in use is an error either way.
     *
     * @since 2.1
     */
    static BindFactory system() {
        String choice = System.getProperty(PROPERTY, "offload").trim();
        switch (choice) {
            case "channel":
                return UdpBind::open;
            case "batch":
            case "offload":
                boolean offloads = choice.equals("offload");
                boolean lane = !"false"
                        .equals(System.getProperty(HANDSHAKE_LANE_PROPERTY, "true")
                                .trim());
                return port -> {
                    try {
                        return LinuxUdpBind.open(port, offloads, lane);
                    } catch (java.net.BindException inUse) {
                        throw inUse;
                    } catch (IOException | LinkageError e) {
                        UdpBind fallback = UdpBind.open(port);
                        fallback.fallbackReason = "recvmmsg/sendmmsg bind refused: " + e.getMessage();
                        return fallback;
                    }
                };
            default:
                throw new IllegalArgumentException(
                        PROPERTY + " must be 'offload', 'batch' or 'channel', not '" + choice + "'");
        }
    }
}

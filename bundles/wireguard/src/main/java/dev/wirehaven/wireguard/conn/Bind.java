package dev.wirehaven.wireguard.conn;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The UDP side of a device: one socket (dual-stack where the host has IPv6) that carries every
 * peer's datagrams. The only platform seam on the outer side; {@code MemoryBind}
 * (wirehaven-wireguard-testing) replaces it in tests.
 */
@ProviderType
public interface Bind extends Closeable {

    /** The local UDP port actually bound (useful when 0 was asked for). */
    int port();

    /**
     * Blocks until a datagram arrives and puts it into {@code dst} from its position.
     *
     * @return the sender, or {@code null} once the bind is closed
     */
    InetSocketAddress receive(ByteBuffer dst) throws IOException;

    /** Sends the bytes between position and limit of {@code src} to {@code to}. */
    void send(ByteBuffer src, InetSocketAddress to) throws IOException;

    /** Unblocks receivers and releases the socket. Idempotent. */
    @Override
    void close() throws IOException;
}

package dev.wirehaven.benchmarks.sessions;

import dev.wirehaven.wireguard.conn.Bind;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.conn.UdpBind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A real UDP bind ({@link UdpBind}) that tells a {@link SetupTimeline} when handshake messages pass:
 * the first byte of every WireGuard message is its type (1 initiation, 2 response, 3 cookie reply;
 * the type is a little-endian 32-bit word whose other bytes are zero). Only looks, never changes.
 */
final class TimingBind implements Bind {

    private static final byte INITIATION = 1;
    private static final byte RESPONSE = 2;
    private static final byte COOKIE_REPLY = 3;

    private final Bind real;
    private final SetupTimeline timeline;

    private TimingBind(Bind real, SetupTimeline timeline) {
        this.real = real;
        this.timeline = timeline;
    }

    /** A factory of real UDP binds that report to {@code timeline}. */
    static BindFactory reportingTo(SetupTimeline timeline) {
        return port -> new TimingBind(UdpBind.open(port), timeline);
    }

    @Override
    public int port() {
        return real.port();
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        int from = dst.position();
        InetSocketAddress sender = real.receive(dst);
        if (sender != null && dst.position() > from) {
            byte type = dst.get(from);
            if (type == RESPONSE) {
                timeline.responseReceived();
            } else if (type == COOKIE_REPLY) {
                timeline.cookieReceived();
            }
        }
        return sender;
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
        if (src.hasRemaining() && src.get(src.position()) == INITIATION) {
            timeline.initiationSent();
        }
        real.send(src, to);
    }

    @Override
    public void close() throws IOException {
        real.close();
    }
}

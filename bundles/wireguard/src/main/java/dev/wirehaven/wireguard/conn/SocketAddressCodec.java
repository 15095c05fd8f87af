package dev.wirehaven.wireguard.conn;

import com.sun.jna.Pointer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} in native memory, both ways. One instance per
 * thread: it remembers the last address it decoded or encoded, because a burst comes from (or goes
 * to) one endpoint, so that the steady state allocates no {@link InetSocketAddress} and compares 28
 * bytes instead.
 *
 * <p>On a dual-stack socket IPv4 peers appear as IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d});
 * they are reported as plain IPv4, as the JDK's channels do, so that an endpoint compares equal however
 * it arrived.
 */
final class SocketAddressCodec {

    /** {@code sizeof(struct sockaddr_in6)}: family, port, flow info, address, scope id. */
    static final int SOCKADDR_IN6_SIZE = 28;
    /** {@code sizeof(struct sockaddr_in)}. */
    static final int SOCKADDR_IN_SIZE = 16;

    private static final int FAMILY_OFFSET = 0;
    private static final int PORT_OFFSET = 2;
    private static final int IN_ADDRESS_OFFSET = 4;
    private static final int IN6_ADDRESS_OFFSET = 8;
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private final boolean dualStack;
    private final byte[] scratch = new byte[SOCKADDR_IN6_SIZE];
    private final byte[] lastDecoded = new byte[SOCKADDR_IN6_SIZE];
    private InetSocketAddress lastDecodedAddress;
    private InetSocketAddress lastEncodedAddress;
    private int lastEncodedLength;
    private final byte[] lastEncoded = new byte[SOCKADDR_IN6_SIZE];

    SocketAddressCodec(boolean dualStack) {
        this.dualStack = dualStack;
    }

    /** The sender in {@code length} bytes at {@code p}; null for a family that is neither IPv4 nor IPv6. */
    InetSocketAddress decode(Pointer p, long offset, int length) {
        int n = Math.min(length, SOCKADDR_IN6_SIZE);
        p.read(offset, scratch, 0, n);
        Arrays.fill(scratch, n, SOCKADDR_IN6_SIZE, (byte) 0);
        if (lastDecodedAddress != null && Arrays.equals(scratch, lastDecoded)) {
            return lastDecodedAddress;
        }
        InetSocketAddress a = parse(scratch);
        if (a != null) {
            System.arraycopy(scratch, 0, lastDecoded, 0, SOCKADDR_IN6_SIZE);
            lastDecodedAddress = a;
        }
        return a;
    }

    /**
     * Writes {@code to} at {@code p} in the socket's family.
     *
     * @return the length to pass as {@code msg_namelen}
     * @throws NoRouteToHostException for an IPv6 destination on an IPv4-only socket
     */
    int encode(InetSocketAddress to, Pointer p, long offset) throws NoRouteToHostException {
        if (to != lastEncodedAddress) { // identity: a peer's endpoint object is reused for a whole burst
            lastEncodedLength = build(to, lastEncoded);
            lastEncodedAddress = to;
        }
        p.write(offset, lastEncoded, 0, lastEncodedLength);
        return lastEncodedLength;
    }

    private int build(InetSocketAddress to, byte[] out) throws NoRouteToHostException {
        Arrays.fill(out, (byte) 0);
        InetAddress address = to.getAddress();
        if (address == null) {
            throw new NoRouteToHostException("cannot send to unresolved " + to);
        }
        byte[] raw = address.getAddress();
        putPort(out, to.getPort());
        if (!dualStack) {
            if (raw.length != 4) {
                throw new NoRouteToHostException(
                        "cannot send to " + to + ": this bind is IPv4-only (the host has no IPv6)");
            }
            putFamily(out, SocketCalls.AF_INET);
            System.arraycopy(raw, 0, out, IN_ADDRESS_OFFSET, 4);
            return SOCKADDR_IN_SIZE;
        }
        putFamily(out, SocketCalls.AF_INET6);
        if (raw.length == 4) {
            System.arraycopy(V4_MAPPED_PREFIX, 0, out, IN6_ADDRESS_OFFSET, V4_MAPPED_PREFIX.length);
            System.arraycopy(raw, 0, out, IN6_ADDRESS_OFFSET + V4_MAPPED_PREFIX.length, 4);
        } else {
            System.arraycopy(raw, 0, out, IN6_ADDRESS_OFFSET, 16);
            if (address instanceof java.net.Inet6Address v6) {
                putIntNative(out, 24, v6.getScopeId());
            }
        }
        return SOCKADDR_IN6_SIZE;
    }

    /** The wildcard address {@code [::]:port} or {@code 0.0.0.0:port} for bind(2). */
    static int wildcard(boolean v6, int port, Pointer p) {
        byte[] out = new byte[SOCKADDR_IN6_SIZE];
        putFamily(out, v6 ? SocketCalls.AF_INET6 : SocketCalls.AF_INET);
        putPort(out, port);
        int length = v6 ? SOCKADDR_IN6_SIZE : SOCKADDR_IN_SIZE;
        p.write(0, out, 0, length);
        return length;
    }

    /** The port in a sockaddr that getsockname(2) wrote. */
    static int port(Pointer p) {
        return ((p.getByte(PORT_OFFSET) & 0xff) << 8) | (p.getByte(PORT_OFFSET + 1) & 0xff);
    }

    private static InetSocketAddress parse(byte[] s) {
        int family = (s[FAMILY_OFFSET] & 0xff) | (s[FAMILY_OFFSET + 1] & 0xff) << 8; // host order (LE)
        int port = ((s[PORT_OFFSET] & 0xff) << 8) | (s[PORT_OFFSET + 1] & 0xff); // network order
        try {
            if (family == SocketCalls.AF_INET) {
                return new InetSocketAddress(
                        InetAddress.getByAddress(Arrays.copyOfRange(s, IN_ADDRESS_OFFSET, IN_ADDRESS_OFFSET + 4)),
                        port);
            }
            if (family == SocketCalls.AF_INET6) {
                byte[] raw = Arrays.copyOfRange(s, IN6_ADDRESS_OFFSET, IN6_ADDRESS_OFFSET + 16);
                if (Arrays.equals(raw, 0, V4_MAPPED_PREFIX.length, V4_MAPPED_PREFIX, 0, V4_MAPPED_PREFIX.length)) {
                    return new InetSocketAddress(
                            (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(raw, 12, 16)), port);
                }
                int scope = (s[24] & 0xff) | (s[25] & 0xff) << 8 | (s[26] & 0xff) << 16 | (s[27] & 0xff) << 24;
                return new InetSocketAddress(
                        scope == 0
                                ? InetAddress.getByAddress(raw)
                                : java.net.Inet6Address.getByAddress(null, raw, scope),
                        port);
            }
        } catch (UnknownHostException impossible) {
            // getByAddress only throws for a wrong length, and the lengths here are fixed
        }
        return null;
    }

    private static void putFamily(byte[] out, int family) {
        out[FAMILY_OFFSET] = (byte) family; // sa_family_t in host order (little-endian on the supported ABIs)
        out[FAMILY_OFFSET + 1] = (byte) (family >>> 8);
    }

    private static void putPort(byte[] out, int port) {
        out[PORT_OFFSET] = (byte) (port >>> 8);
        out[PORT_OFFSET + 1] = (byte) port;
    }

    private static void putIntNative(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        out[at + 2] = (byte) (v >>> 16);
        out[at + 3] = (byte) (v >>> 24);
    }
}

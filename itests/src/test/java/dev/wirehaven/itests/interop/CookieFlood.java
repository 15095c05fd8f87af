package dev.wirehaven.itests.interop;

import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.noise.CookieGenerator;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A handshake flood from a host that answers cookies, as its own program inside a namespace: the flood
 * that the rate limit of whitepaper §5.3 is for, and the one a spoofed flood cannot be. It sends one
 * handshake initiation over and over, paced, from one UDP socket:
 *
 * <ol>
 *   <li>with a valid MAC1 for the responder's public key (anyone can make one) and no MAC2: once the
 *       responder is under load it answers with cookie replies;
 *   <li>each cookie reply is opened with the product's own {@link CookieGenerator} (XChaCha20-Poly1305
 *       under the responder's cookie key, bound to the MAC1 it answers), and from then on the
 *       initiation carries a valid MAC2: the sender proved its address, so the responder's per-source
 *       rate limit (20 a second) is what refuses the rest, and counts them for that source.
 * </ol>
 *
 * The content past the header is random, so a message that gets through the limit fails at the
 * static key's decryption and costs the responder one Diffie-Hellman, never a session. The cookie is
 * bound to the source address and port, hence the one socket. It stops after {@code seconds}, or as
 * soon as {@code stop-file} exists. Prints {@code flooding} when it starts, {@code cookie} when it
 * first opened a cookie reply, and at the end the counts.
 *
 * <pre>
 * CookieFlood &lt;address&gt; &lt;port&gt; &lt;seconds&gt; &lt;stop-file&gt; &lt;responder-public-key-base64&gt; &lt;packets-per-second&gt;
 * </pre>
 */
public final class CookieFlood {

    private CookieFlood() {}

    public static void main(String[] args) throws IOException {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long seconds = Long.parseLong(args[2]);
        Path stop = Path.of(args[3]);
        byte[] responder = Base64.getDecoder().decode(args[4]);
        long perSecond = Long.parseLong(args[5]);

        CookieGenerator cookies = new CookieGenerator(responder, Clock.SYSTEM);
        byte[] initiation = new byte[Protocol.INITIATION_SIZE];
        new SplittableRandom(7).nextBytes(initiation);
        ByteBuffer.wrap(initiation).order(ByteOrder.LITTLE_ENDIAN).putInt(0, Protocol.MESSAGE_INITIATION);
        cookies.addMacs(initiation); // MAC1; MAC2 zero until a cookie is held

        long sent = 0;
        long withCookie = 0;
        long replies = 0;
        long opened = 0;
        long unreachable = 0;
        ByteBuffer in = ByteBuffer.allocate(Protocol.COOKIE_REPLY_SIZE + 1);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(target);
            channel.configureBlocking(false);
            System.out.println("flooding");
            System.out.flush();
            while (System.nanoTime() < end && ((sent & 255) != 0 || !Files.exists(stop))) {
                long due = start + sent * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                try {
                    channel.write(ByteBuffer.wrap(initiation));
                    sent++;
                    if (opened > 0) {
                        withCookie++;
                    }
                } catch (PortUnreachableException e) {
                    unreachable++;
                    sent++;
                }
                for (in.clear(); receive(channel, in); in.clear()) {
                    in.flip();
                    if (in.remaining() != Protocol.COOKIE_REPLY_SIZE
                            || in.order(ByteOrder.LITTLE_ENDIAN).getInt(0) != Protocol.MESSAGE_COOKIE_REPLY) {
                        continue;
                    }
                    replies++;
                    byte[] reply = new byte[Protocol.COOKIE_REPLY_SIZE];
                    in.get(reply);
                    if (cookies.consumeReply(reply)) {
                        if (opened++ == 0) {
                            System.out.println("cookie");
                            System.out.flush();
                        }
                        cookies.addMacs(initiation); // the same MAC1, now with MAC2 under the cookie
                    }
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "sent=%d with_cookie=%d cookie_replies=%d cookies_opened=%d unreachable=%d seconds=%.1f%n",
                sent, withCookie, replies, opened, unreachable, elapsed);
    }

    private static boolean receive(DatagramChannel channel, ByteBuffer in) throws IOException {
        try {
            return channel.receive(in) != null;
        } catch (PortUnreachableException e) {
            return false;
        }
    }
}

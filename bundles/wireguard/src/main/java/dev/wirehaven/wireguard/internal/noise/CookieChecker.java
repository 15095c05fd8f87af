package dev.wirehaven.wireguard.internal.noise;

import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.CookieReply;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.Blake2s;
import dev.wirehaven.wireguard.internal.crypto.ChaChaPoly;
import dev.wirehaven.wireguard.internal.crypto.KeyedMac;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.random.RandomGenerator;

/**
 * The receiving side of the DoS defence (whitepaper §5.3, §5.4.4, §5.4.7): verifies MAC1 of incoming
 * handshake messages against our public key, verifies MAC2 against the cookie of the sender's
 * address when under load, and writes cookie replies.
 *
 * <p>The cookie is τ = MAC(R_m, A_m), where R_m is a random secret that changes every two minutes and
 * A_m the sender's IP address and port. The reply carries it encrypted with XChaCha20-Poly1305 under
 * HASH("cookie--" || S_pub), authenticated with the MAC1 of the message it answers.
 *
 * <p>MAC1 is checked on the UDP reader threads, before a message takes a handshake queue slot, so it
 * reuses one keyed BLAKE2s state per thread ({@link KeyedMac}) instead of building a digest per
 * message; τ reuses one state keyed with R_m under the lock. MAC2 is keyed with the sender's own
 * cookie, so it still builds a digest per message (only under load, after MAC1).
 */
public final class CookieChecker {

    private final Clock clock;
    private final RandomGenerator random;
    private volatile Mac1Key mac1Key;
    private final ThreadLocal<Mac1State> mac1Macs = ThreadLocal.withInitial(Mac1State::new);
    private final KeyedMac cookieMac = new KeyedMac(); // keyed with secret; guarded by this
    private byte[] cookieKey;
    private final byte[] secret = new byte[32];
    private boolean secretSet;
    private long secretBirth;

    public CookieChecker(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** Keys the checker to our public key; {@code null} until a private key is configured. */
    public synchronized void init(byte[] publicKey) {
        mac1Key = publicKey == null ? null : new Mac1Key(publicKey);
        cookieKey = publicKey == null ? null : Noise.labelKey(Protocol.LABEL_COOKIE, publicKey);
        secretSet = false;
    }

    /** Whether MAC1 (the 16 bytes before the last 16) of {@code msg[0..len)} is right. */
    public boolean checkMac1(byte[] msg, int len) {
        Mac1Key key = mac1Key;
        if (key == null) {
            return false;
        }
        Mac1State state = mac1Macs.get();
        if (state.keyedFor != key) { // a new public key (init), or this thread's first message
            state.mac.rekey(key.key);
            state.keyedFor = key;
        }
        int mac1 = len - 2 * Protocol.MAC_SIZE;
        return state.mac.verify(msg, 0, mac1, msg, mac1);
    }

    /** HASH("mac1----" || S_pub), one instance per public key, so that threads see when it changes. */
    private static final class Mac1Key {
        final byte[] key;

        Mac1Key(byte[] publicKey) {
            this.key = Noise.labelKey(Protocol.LABEL_MAC1, publicKey);
        }
    }

    /** A thread's MAC1 state and the key it holds. */
    private static final class Mac1State {
        final KeyedMac mac = new KeyedMac();
        Mac1Key keyedFor;
    }

    /**
     * Whether the handshake message {@code msg[0..len)} came without a cookie: its MAC2 is all zero,
     * what a sender sends until it has one (§5.4.4).
     */
    public static boolean hasNoCookie(byte[] msg, int len) {
        return isZero(msg, len - Protocol.MAC_SIZE, Protocol.MAC_SIZE);
    }

    /**
     * Whether MAC2 (the last 16 bytes) of {@code msg[0..len)} is the MAC with the current cookie of
     * {@code source}; false once the secret is older than two minutes (the sender needs a new cookie).
     */
    public boolean checkMac2(byte[] msg, int len, byte[] source) {
        int mac2 = len - Protocol.MAC_SIZE;
        if (hasNoCookie(msg, len)) {
            // a sender without a cookie sends zeros (§5.4.4); a real MAC2 is zero with a chance of
            // 2^-128, so no cookie needs deriving, no BLAKE2s: what a forged-initiation flood costs
            return false;
        }
        byte[] cookie;
        synchronized (this) {
            if (!secretSet || clock.nanoTime() - secretBirth > Protocol.COOKIE_REFRESH_TIME) {
                return false;
            }
            cookie = new byte[Protocol.MAC_SIZE];
            cookieMac.mac(source, 0, source.length, cookie, 0);
        }
        byte[] expected = Blake2s.mac(cookie, msg, 0, mac2);
        int diff = 0;
        for (int i = 0; i < Protocol.MAC_SIZE; i++) {
            diff |= expected[i] ^ msg[mac2 + i];
        }
        return diff == 0;
    }

    private static boolean isZero(byte[] b, int off, int len) {
        int any = 0;
        for (int i = off; i < off + len; i++) {
            any |= b[i];
        }
        return any == 0;
    }

    /**
     * A cookie reply (§5.4.7) to the handshake message {@code msg[0..len)} from {@code source}, sent
     * to its sender index.
     *
     * @return the 64-byte reply, or {@code null} without a public key
     */
    public byte[] createReply(byte[] msg, int len, int receiverIndex, byte[] source) {
        byte[] cookie;
        byte[] key;
        synchronized (this) {
            if (cookieKey == null) {
                return null;
            }
            long now = clock.nanoTime();
            if (!secretSet || now - secretBirth > Protocol.COOKIE_REFRESH_TIME) {
                random.nextBytes(secret);
                cookieMac.rekey(secret);
                secretBirth = now;
                secretSet = true;
            }
            cookie = new byte[Protocol.MAC_SIZE];
            cookieMac.mac(source, 0, source.length, cookie, 0);
            key = cookieKey;
        }
        byte[] reply = new byte[Protocol.COOKIE_REPLY_SIZE];
        Noise.putIntLE(reply, MessageLayout.TYPE_OFFSET, Protocol.MESSAGE_COOKIE_REPLY);
        Noise.putIntLE(reply, CookieReply.RECEIVER_OFFSET, receiverIndex);
        byte[] nonce = new byte[Protocol.COOKIE_NONCE_SIZE];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, reply, CookieReply.NONCE_OFFSET, nonce.length);
        int mac1 = len - 2 * Protocol.MAC_SIZE;
        byte[] ad = java.util.Arrays.copyOfRange(msg, mac1, mac1 + Protocol.MAC_SIZE);
        byte[] sealed = ChaChaPoly.xseal(key, nonce, cookie, ad);
        System.arraycopy(sealed, 0, reply, CookieReply.COOKIE_OFFSET, sealed.length);
        return reply;
    }
}

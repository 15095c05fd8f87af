package dev.wirehaven.wireguard.internal.noise;

import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.CookieReply;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.Blake2s;
import dev.wirehaven.wireguard.internal.crypto.ChaChaPoly;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.Arrays;

/**
 * The sending side of the DoS defence for one peer (whitepaper §5.4.4, §5.4.7): writes MAC1 (keyed
 * with the peer's public key) and, while we hold a cookie younger than two minutes from that peer,
 * MAC2 into our handshake messages; and decrypts the cookie replies that the peer sends us.
 */
public final class CookieGenerator {

    private final Clock clock;
    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private byte[] cookie;
    private long cookieBirth;
    private byte[] lastMac1;

    public CookieGenerator(byte[] peerPublicKey, Clock clock) {
        this.clock = clock;
        this.mac1Key = Noise.labelKey(Protocol.LABEL_MAC1, peerPublicKey);
        this.cookieKey = Noise.labelKey(Protocol.LABEL_COOKIE, peerPublicKey);
    }

    /** Fills the last 32 bytes of a handshake message: MAC1, and MAC2 if a fresh cookie is held (else zeros). */
    public synchronized void addMacs(byte[] msg) {
        int mac1 = msg.length - 2 * Protocol.MAC_SIZE;
        int mac2 = msg.length - Protocol.MAC_SIZE;
        Blake2s.mac(mac1Key, msg, 0, mac1, msg, mac1);
        lastMac1 = Arrays.copyOfRange(msg, mac1, mac1 + Protocol.MAC_SIZE);
        if (cookie != null && clock.nanoTime() - cookieBirth <= Protocol.COOKIE_REFRESH_TIME) {
            Blake2s.mac(cookie, msg, 0, mac2, msg, mac2);
        } else {
            Arrays.fill(msg, mac2, msg.length, (byte) 0);
        }
    }

    /**
     * Takes the cookie from a 64-byte cookie reply to the last message we sent.
     *
     * @return whether the reply decrypted (else it is ignored)
     */
    public synchronized boolean consumeReply(byte[] reply) {
        if (lastMac1 == null) {
            return false;
        }
        byte[] nonce = Arrays.copyOfRange(
                reply, CookieReply.NONCE_OFFSET, CookieReply.NONCE_OFFSET + Protocol.COOKIE_NONCE_SIZE);
        byte[] value = ChaChaPoly.xopen(
                cookieKey, nonce, reply, CookieReply.COOKIE_OFFSET, MessageLayout.ENCRYPTED_COOKIE_SIZE, lastMac1);
        if (value == null) {
            return false;
        }
        cookie = value;
        cookieBirth = clock.nanoTime();
        return true;
    }
}

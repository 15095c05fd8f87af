package dev.wirehaven.wireguard.internal;

import static dev.wirehaven.wireguard.internal.Protocol.COOKIE_NONCE_SIZE;
import static dev.wirehaven.wireguard.internal.Protocol.COOKIE_SIZE;
import static dev.wirehaven.wireguard.internal.Protocol.MAC_SIZE;
import static dev.wirehaven.wireguard.internal.Protocol.TAG_SIZE;

/**
 * Where each field of the four WireGuard messages sits, under the whitepaper's field names
 * ({@code msg.sender}, {@code msg.counter}, ...) and with the section that defines the message. The
 * whole sizes of the messages are in {@link Protocol}; each layout below ends exactly there
 * ({@code MessageLayoutTest}).
 *
 * <p>Offsets are built from the field sizes, in field order, so that a layout reads like the
 * whitepaper's struct; the resulting number is in each comment. All integers are little-endian.
 */
public final class MessageLayout {

    private MessageLayout() {}

    // ---- fields shared by the messages ----

    /**
     * §5.4.2: {@code msg.type} (1 byte) and {@code msg.reserved_zero} (3 bytes). Read and written as
     * one little-endian u32, as wireguard-go does, so that a non-zero reserved byte makes an unknown
     * type and the message is dropped.
     */
    public static final int TYPE_OFFSET = 0;

    public static final int TYPE_SIZE = 4;
    /** §5.4.2: a session index, {@code msg.sender} or {@code msg.receiver} (u32). */
    public static final int INDEX_SIZE = 4;
    /** §5.4.2: {@code msg.ephemeral}, an unencrypted Curve25519 public key. */
    public static final int EPHEMERAL_SIZE = 32;
    /** §5.4.2: {@code msg.static}, AEAD(32-byte static public key). */
    public static final int STATIC_SIZE = 32 + TAG_SIZE;
    /** §5.4.2: {@code msg.timestamp}, AEAD(12-byte TAI64N). */
    public static final int TIMESTAMP_SIZE = 12 + TAG_SIZE;
    /** §5.4.3: {@code msg.empty}, AEAD(ε): the tag alone. */
    public static final int EMPTY_SIZE = TAG_SIZE;
    /** §5.4.6: {@code msg.counter}, the nonce of the transport key (u64). */
    public static final int COUNTER_SIZE = 8;
    /** §5.4.7: {@code msg.cookie}, XAEAD(16-byte cookie). */
    public static final int ENCRYPTED_COOKIE_SIZE = COOKIE_SIZE + TAG_SIZE;

    /** §5.4.2 handshake initiation: type, sender, ephemeral, static, timestamp, mac1, mac2 (148 bytes). */
    public static final class Initiation {
        private Initiation() {}

        /** {@code msg.sender}, at 4. */
        public static final int SENDER_OFFSET = TYPE_OFFSET + TYPE_SIZE;
        /** {@code msg.ephemeral}, at 8. */
        public static final int EPHEMERAL_OFFSET = SENDER_OFFSET + INDEX_SIZE;
        /** {@code msg.static}, at 40. */
        public static final int STATIC_OFFSET = EPHEMERAL_OFFSET + EPHEMERAL_SIZE;
        /** {@code msg.timestamp}, at 88. */
        public static final int TIMESTAMP_OFFSET = STATIC_OFFSET + STATIC_SIZE;
        /** {@code msg.mac1} (§5.4.4), at 116. */
        public static final int MAC1_OFFSET = TIMESTAMP_OFFSET + TIMESTAMP_SIZE;
        /** {@code msg.mac2} (§5.4.4), at 132. */
        public static final int MAC2_OFFSET = MAC1_OFFSET + MAC_SIZE;
        /** The end of the message: {@link Protocol#INITIATION_SIZE}. */
        public static final int END = MAC2_OFFSET + MAC_SIZE;
    }

    /** §5.4.3 handshake response: type, sender, receiver, ephemeral, empty, mac1, mac2 (92 bytes). */
    public static final class Response {
        private Response() {}

        /** {@code msg.sender}, at 4: the same place as in the initiation. */
        public static final int SENDER_OFFSET = TYPE_OFFSET + TYPE_SIZE;
        /** {@code msg.receiver}, at 8: the initiator's sender index. */
        public static final int RECEIVER_OFFSET = SENDER_OFFSET + INDEX_SIZE;
        /** {@code msg.ephemeral}, at 12. */
        public static final int EPHEMERAL_OFFSET = RECEIVER_OFFSET + INDEX_SIZE;
        /** {@code msg.empty}, at 44. */
        public static final int EMPTY_OFFSET = EPHEMERAL_OFFSET + EPHEMERAL_SIZE;
        /** {@code msg.mac1} (§5.4.4), at 60. */
        public static final int MAC1_OFFSET = EMPTY_OFFSET + EMPTY_SIZE;
        /** {@code msg.mac2} (§5.4.4), at 76. */
        public static final int MAC2_OFFSET = MAC1_OFFSET + MAC_SIZE;
        /** The end of the message: {@link Protocol#RESPONSE_SIZE}. */
        public static final int END = MAC2_OFFSET + MAC_SIZE;
    }

    /** §5.4.7 cookie reply: type, receiver, nonce, cookie (64 bytes). */
    public static final class CookieReply {
        private CookieReply() {}

        /** {@code msg.receiver}, at 4: the sender index of the message that the reply answers. */
        public static final int RECEIVER_OFFSET = TYPE_OFFSET + TYPE_SIZE;
        /** {@code msg.nonce}, at 8: the random XChaCha20-Poly1305 nonce. */
        public static final int NONCE_OFFSET = RECEIVER_OFFSET + INDEX_SIZE;
        /** {@code msg.cookie}, at 32. */
        public static final int COOKIE_OFFSET = NONCE_OFFSET + COOKIE_NONCE_SIZE;
        /** The end of the message: {@link Protocol#COOKIE_REPLY_SIZE}. */
        public static final int END = COOKIE_OFFSET + ENCRYPTED_COOKIE_SIZE;
    }

    /** §5.4.6 transport data: type, receiver, counter, then the encrypted packet and its tag. */
    public static final class Transport {
        private Transport() {}

        /** {@code msg.receiver}, at 4: our index of the session, which finds the keypair. */
        public static final int RECEIVER_OFFSET = TYPE_OFFSET + TYPE_SIZE;
        /** {@code msg.counter}, at 8. */
        public static final int COUNTER_OFFSET = RECEIVER_OFFSET + INDEX_SIZE;
        /** {@code msg.packet}, at 16: the encrypted, padded IP packet, then the tag. */
        public static final int PACKET_OFFSET = COUNTER_OFFSET + COUNTER_SIZE;
    }
}

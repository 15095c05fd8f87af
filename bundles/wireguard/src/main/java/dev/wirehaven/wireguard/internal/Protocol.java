package dev.wirehaven.wireguard.internal;

/**
 * Every constant of the WireGuard protocol, under its whitepaper name and with the section it comes
 * from ("WireGuard: Next Generation Kernel Network Tunnel", J. A. Donenfeld). Tunables that the
 * whitepaper leaves to the implementation (queue sizes, worker counts) are not here: they are
 * {@code DeviceOptions}.
 *
 * <p>Times are in nanoseconds of the injected clock. Message counters are unsigned 64-bit values
 * carried in a {@code long}: compare them with {@link Long#compareUnsigned}.
 */
public final class Protocol {

    private Protocol() {}

    private static final long SECOND = 1_000_000_000L;

    // ---- §5.4 the Noise construction and labels ----

    /** §5.4: the Noise protocol name, hashed into the initial chaining key. */
    public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
    /** §5.4: mixed into the initial hash after the construction. */
    public static final String IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com";
    /** §5.4.4: prefix of the key that MAC1 is computed with. */
    public static final String LABEL_MAC1 = "mac1----";
    /** §5.4.7: prefix of the key that cookies are encrypted with. */
    public static final String LABEL_COOKIE = "cookie--";

    // ---- §5.4 message types and sizes ----

    /** §5.4.2: handshake initiation. */
    public static final int MESSAGE_INITIATION = 1;
    /** §5.4.3: handshake response. */
    public static final int MESSAGE_RESPONSE = 2;
    /** §5.4.7: cookie reply. */
    public static final int MESSAGE_COOKIE_REPLY = 3;
    /** §5.4.6: transport data. */
    public static final int MESSAGE_TRANSPORT = 4;

    /** §5.4.2: 4 type/reserved + 4 sender + 32 ephemeral + 48 static + 28 timestamp + 16 mac1 + 16 mac2. */
    public static final int INITIATION_SIZE = 148;
    /** §5.4.3: 4 type/reserved + 4 sender + 4 receiver + 32 ephemeral + 16 empty + 16 mac1 + 16 mac2. */
    public static final int RESPONSE_SIZE = 92;
    /** §5.4.7: 4 type/reserved + 4 receiver + 24 nonce + 32 encrypted cookie. */
    public static final int COOKIE_REPLY_SIZE = 64;
    /** §5.4.6: 4 type/reserved + 4 receiver + 8 counter, before the encrypted packet. */
    public static final int TRANSPORT_HEADER_SIZE = 16;
    /** §5.4.6: Poly1305 tag length of every AEAD in the protocol. */
    public static final int TAG_SIZE = 16;
    /** §5.4.6: the smallest transport message, a keepalive (empty packet plus tag). */
    public static final int KEEPALIVE_SIZE = TRANSPORT_HEADER_SIZE + TAG_SIZE;
    /** §5.4.6: the encapsulated packet is zero-padded to a multiple of this. */
    public static final int PADDING_MULTIPLE = 16;

    /** §5.4.2 and §5.4.3: MAC1 and MAC2 are the last 32 bytes of the handshake messages. */
    public static final int MAC_SIZE = 16;
    /** §5.4.7: the cookie and its XChaCha20-Poly1305 nonce. */
    public static final int COOKIE_SIZE = 16;

    public static final int COOKIE_NONCE_SIZE = 24;

    // ---- §6.1 / §6.4 timers and limits ----

    /** §6.1: the initiator starts a new handshake once the current keypair has sent this many messages. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** §6.1: 2^64 − 2^13 − 1 as an unsigned value; no keypair sends or accepts a counter at or past it. */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;
    /** §6.1: an initiator rekeys a keypair this old on sending. */
    public static final long REKEY_AFTER_TIME = 120 * SECOND;
    /** §6.1: a keypair this old is never used again. */
    public static final long REJECT_AFTER_TIME = 180 * SECOND;
    /** §6.1: handshake initiations are retried for this long before giving up. */
    public static final long REKEY_ATTEMPT_TIME = 90 * SECOND;
    /** §6.1: the wait for a handshake response before the initiation is retransmitted. */
    public static final long REKEY_TIMEOUT = 5 * SECOND;
    /** §6.1: a peer that received data and sent nothing back for this long sends a keepalive. */
    public static final long KEEPALIVE_TIMEOUT = 10 * SECOND;
    /**
     * §6.1: random jitter added to REKEY_TIMEOUT so that peers do not retry in lockstep, drawn
     * uniformly from [0, this) milliseconds (wireguard-go: 334, i.e. at most 333 ms).
     */
    public static final int REKEY_TIMEOUT_JITTER_MAX_MS = 334;
    /** §6.4: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT retransmissions, then the handshake is abandoned. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);
    /** §6: leftover key material is erased after three times REJECT_AFTER_TIME without a new session. */
    public static final long ZERO_KEY_MATERIAL_AFTER = 3 * REJECT_AFTER_TIME;
    /**
     * §6.2: an initiator whose keypair is this old on receiving starts a new handshake once, so that a
     * fresh keypair exists before REJECT_AFTER_TIME (REJECT_AFTER_TIME − KEEPALIVE_TIMEOUT − REKEY_TIMEOUT).
     */
    public static final long REKEY_AFTER_TIME_RECEIVING = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT;
    /** §5.4.7: a cookie secret changes, and a received cookie expires, every two minutes. */
    public static final long COOKIE_REFRESH_TIME = 120 * SECOND;
    /**
     * Not a whitepaper constant but part of stock WireGuard's §5.1 replay/flood defence: at most 50
     * initiations per second are accepted from one peer, so the minimum gap between two is
     * 1 s / 50 = 20 ms (kernel INITIATIONS_PER_SECOND, wireguard-go HandshakeInitationRate).
     */
    public static final long HANDSHAKE_INITIATION_RATE = SECOND / 50;
    /** §5.3: once the handshake queue looked loaded, the device stays "under load" this long (kernel, wireguard-go). */
    public static final long UNDER_LOAD_AFTER_TIME = SECOND;
}

package dev.wirehaven.wireguard;

/** Why the device dropped a packet; every drop is counted under one of these. */
public enum DropReason {
    /**
     * A datagram too short, or of an unknown message type or length. Where the bind steers junk
     * ({@link dev.wirehaven.wireguard.conn.Bind#malformedDrops()}), the kernel drops most of these before
     * the device reads them, and they are counted here all the same.
     */
    MALFORMED,
    /** A handshake message whose MAC1 does not verify. */
    BAD_MAC1,
    /** Under load, a handshake message without a valid cookie MAC2 (a cookie reply was sent). */
    BAD_MAC2,
    /**
     * A handshake message from a source over its rate limit, or from a new source while the table of
     * rate-limited sources is full; or, under load, one without a valid cookie MAC2 while the global
     * budget of cookie replies is spent (no reply sent).
     */
    RATE_LIMITED,
    /** A handshake message that does not decrypt or names an unknown peer. */
    BAD_HANDSHAKE,
    /** An initiation whose timestamp is not newer than the last one of that peer (replay). */
    HANDSHAKE_REPLAY,
    /** An initiation sooner than the flood interval after the previous one of that peer. */
    HANDSHAKE_FLOOD,
    /**
     * A transport packet or response for a receiver index that the device does not know; with those
     * that the kernel dropped for the device ({@link dev.wirehaven.wireguard.conn.Bind#unknownIndexDrops()}).
     */
    UNKNOWN_INDEX,
    /** A transport packet whose authentication tag does not verify. */
    BAD_AUTH_TAG,
    /** A transport packet whose counter the replay window rejects. */
    REPLAY,
    /** A transport packet on a keypair that is expired or past its message limit. */
    KEY_EXPIRED,
    /** A decrypted packet whose inner source address is not in the sending peer's allowed IPs. */
    DISALLOWED_SOURCE,
    /** A decrypted packet that is not a well-formed IPv4 or IPv6 packet. */
    BAD_INNER_PACKET,
    /** An outbound packet whose destination no peer's allowed IPs cover. */
    NO_ROUTE,
    /** An outbound packet for a peer that has no endpoint yet. */
    NO_ENDPOINT,
    /** A packet dropped because a queue was full (back-pressure). */
    QUEUE_FULL,
    /**
     * An outbound packet that waited for a session that never came: the handshake was given up after
     * REKEY_ATTEMPT_TIME, key material was erased, or the peer was removed.
     */
    NO_SESSION,
    /** A packet that the UDP bind or the TUN device failed to send or write, or that an unexpected error hit. */
    IO_ERROR,
    /**
     * A packet of a flow that the peer's filter does not allow ({@link PeerFilter}); the peer's
     * {@link PeerSnapshot#deniedByRule()} says which rule denied it.
     *
     * @since 1.1
     */
    POLICY_DENIED,
    /**
     * A handshake message (initiation, response or cookie reply) from a UDP source address that
     * {@link DeviceConfigurator#blockSources} covers; dropped before any Diffie-Hellman work and not
     * answered.
     *
     * @since 1.2
     */
    SOURCE_BLOCKED,
    /**
     * A datagram that the kernel dropped because a receive queue of the UDP socket was full: its reader
     * was behind, as under a flood. Read from the sockets ({@link dev.wirehaven.wireguard.conn.Bind#receiveQueueDrops()}),
     * not counted packet by packet; with a handshake lane, mostly a flood of handshake-shaped datagrams.
     *
     * @since 1.4
     */
    SOCKET_QUEUE_FULL
}

package dev.wirehaven.wireguard.internal.noise;

import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.Initiation;
import dev.wirehaven.wireguard.internal.MessageLayout.Response;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.Blake2s;
import dev.wirehaven.wireguard.internal.crypto.ChaChaPoly;
import dev.wirehaven.wireguard.internal.crypto.Kdf;
import dev.wirehaven.wireguard.internal.crypto.X25519;
import dev.wirehaven.wireguard.internal.tai64n.Tai64n;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * One peer's side of the Noise_IKpsk2 handshake (whitepaper §5.4.2-§5.4.5), as initiator or
 * responder: the chaining key, hash and ephemeral key of the exchange in progress, and the
 * initiation timestamp and time that guard against replay and flood.
 *
 * <p>Messages are built without MAC1/MAC2 (the last 32 bytes stay zero); the peer's
 * {@link CookieGenerator} adds them. All methods are synchronized on the instance.
 */
public final class Handshake {

    /** Where the exchange stands (the states of wireguard-go's handshake). */
    public enum State {
        ZEROED,
        INITIATION_CREATED,
        INITIATION_CONSUMED,
        RESPONSE_CREATED,
        RESPONSE_CONSUMED
    }

    /** The outcome of {@link #consumeInitiation}. */
    public enum Verdict {
        ACCEPTED,
        INVALID,
        REPLAY,
        FLOOD
    }

    private final byte[] remoteStatic;
    private final Clock clock;
    private final RandomGenerator random;
    private final Indices indices;

    private byte[] presharedKey = new byte[32];
    private byte[] precomputedStaticStatic;
    private State state = State.ZEROED;
    private byte[] hash;
    private byte[] chainingKey;
    private byte[] localEphemeral;
    private byte[] remoteEphemeral;
    private int localIndex;
    private int remoteIndex;
    private final byte[] lastTimestamp = new byte[Tai64n.SIZE];
    private boolean consumedInitiation;
    private long lastInitiationConsumption;
    private long lastSentHandshake;

    public Handshake(byte[] remoteStatic, Clock clock, RandomGenerator random, Indices indices) {
        this.remoteStatic = remoteStatic.clone();
        this.clock = clock;
        this.random = random;
        this.indices = indices;
        // allow the first initiation at once (as wireguard-go: "now - (REKEY_TIMEOUT + 1 s)")
        this.lastSentHandshake = clock.nanoTime() - Protocol.REKEY_TIMEOUT - 1_000_000_000L;
    }

    /** Sets the preshared key Q; {@code null} means none (32 zero bytes, as the whitepaper specifies). */
    public synchronized void setPresharedKey(byte[] psk) {
        Arrays.fill(presharedKey, (byte) 0);
        presharedKey = psk == null ? new byte[32] : psk.clone();
    }

    /** Recomputes DH(S_priv, S_pub of the peer) for a new interface identity ({@code null}: none). */
    public synchronized void setIdentity(StaticIdentity identity) {
        if (precomputedStaticStatic != null) {
            Arrays.fill(precomputedStaticStatic, (byte) 0);
        }
        precomputedStaticStatic = identity == null ? null : identity.staticStatic(remoteStatic);
    }

    public synchronized State state() {
        return state;
    }

    public synchronized int localIndex() {
        return localIndex;
    }

    /**
     * Rate-limits initiations that we send: true (and the send time recorded) if none was sent in
     * the last REKEY_TIMEOUT (whitepaper §6.4).
     */
    public synchronized boolean claimInitiationSlot() {
        long now = clock.nanoTime();
        if (now - lastSentHandshake < Protocol.REKEY_TIMEOUT) {
            return false;
        }
        lastSentHandshake = now;
        return true;
    }

    /** Records that a handshake message (a response) went out now. */
    public synchronized void markSent() {
        lastSentHandshake = clock.nanoTime();
    }

    /** Lets the next initiation go out at once (after a key change, as wireguard-go's ExpireCurrentKeypairs). */
    public synchronized void allowImmediateInitiation() {
        lastSentHandshake = clock.nanoTime() - Protocol.REKEY_TIMEOUT - 1_000_000_000L;
    }

    /**
     * Builds message 1 (initiator, §5.4.2).
     *
     * @return a 148-byte initiation without MACs, or {@code null} if the peer's key yields a zero
     *         static-static secret or no identity is set
     */
    public synchronized byte[] createInitiation(StaticIdentity identity) {
        if (identity == null || precomputedStaticStatic == null) {
            return null;
        }
        byte[] msg = new byte[Protocol.INITIATION_SIZE];
        byte[] h = Noise.initialHash();
        byte[] ck = Noise.initialChainingKey();
        byte[] eph = X25519.generatePrivate(random);
        h = Blake2s.hash(h, remoteStatic);
        byte[] ephPub = X25519.publicFrom(eph);
        ck = Kdf.kdf1(ck, ephPub);
        h = Blake2s.hash(h, ephPub);
        byte[] ss = X25519.sharedSecret(eph, remoteStatic);
        if (ss == null) {
            return null;
        }
        byte[][] ckKey = Kdf.kdf2(ck, ss);
        ck = ckKey[0];
        byte[] encStatic = ChaChaPoly.seal(ckKey[1], 0, identity.publicKeyRef(), h);
        h = Blake2s.hash(h, encStatic);
        ckKey = Kdf.kdf2(ck, precomputedStaticStatic);
        ck = ckKey[0];
        byte[] timestamp = new byte[Tai64n.SIZE];
        Tai64n.write(clock, timestamp, 0);
        byte[] encTimestamp = ChaChaPoly.seal(ckKey[1], 0, timestamp, h);
        h = Blake2s.hash(h, encTimestamp);

        indices.release(localIndex);
        localIndex = indices.allocate();
        zero(localEphemeral);
        localEphemeral = eph;
        hash = h;
        chainingKey = ck;
        state = State.INITIATION_CREATED;

        Noise.putIntLE(msg, MessageLayout.TYPE_OFFSET, Protocol.MESSAGE_INITIATION);
        Noise.putIntLE(msg, Initiation.SENDER_OFFSET, localIndex);
        System.arraycopy(ephPub, 0, msg, Initiation.EPHEMERAL_OFFSET, MessageLayout.EPHEMERAL_SIZE);
        System.arraycopy(encStatic, 0, msg, Initiation.STATIC_OFFSET, MessageLayout.STATIC_SIZE);
        System.arraycopy(encTimestamp, 0, msg, Initiation.TIMESTAMP_OFFSET, MessageLayout.TIMESTAMP_SIZE);
        zero(ss);
        return msg;
    }

    /**
     * The responder's second half of consuming an initiation (§5.4.2): decrypts the timestamp with the
     * static-static secret, refuses a replay (a timestamp not after the greatest seen) and a flood (a
     * second initiation within HANDSHAKE_INITIATION_RATE), and on success adopts the exchange.
     */
    public synchronized Verdict consumeInitiation(InitiationPrefix prefix, byte[] msg) {
        if (precomputedStaticStatic == null || !Arrays.equals(prefix.initiatorStatic, remoteStatic)) {
            return Verdict.INVALID;
        }
        byte[][] ckKey = Kdf.kdf2(prefix.chainingKey, precomputedStaticStatic);
        byte[] timestamp = ChaChaPoly.open(
                ckKey[1], 0, msg, Initiation.TIMESTAMP_OFFSET, MessageLayout.TIMESTAMP_SIZE, prefix.hash);
        zero(ckKey[1]);
        if (timestamp == null) {
            return Verdict.INVALID;
        }
        byte[] h = Blake2s.hash(prefix.hash, msg, Initiation.TIMESTAMP_OFFSET, MessageLayout.TIMESTAMP_SIZE);
        long now = clock.nanoTime();
        if (!Tai64n.isAfter(timestamp, lastTimestamp)) {
            return Verdict.REPLAY;
        }
        if (consumedInitiation && now - lastInitiationConsumption <= Protocol.HANDSHAKE_INITIATION_RATE) {
            return Verdict.FLOOD;
        }
        hash = h;
        chainingKey = ckKey[0];
        remoteIndex = prefix.senderIndex;
        remoteEphemeral = prefix.remoteEphemeral.clone();
        System.arraycopy(timestamp, 0, lastTimestamp, 0, Tai64n.SIZE);
        consumedInitiation = true;
        lastInitiationConsumption = now;
        state = State.INITIATION_CONSUMED;
        return Verdict.ACCEPTED;
    }

    /**
     * Builds message 2 (responder, §5.4.3) after an initiation was consumed.
     *
     * @return a 92-byte response without MACs, or {@code null} if no initiation is pending
     */
    public synchronized byte[] createResponse(StaticIdentity identity) {
        if (state != State.INITIATION_CONSUMED || identity == null) {
            return null;
        }
        byte[] eph = X25519.generatePrivate(random);
        byte[] ephPub = X25519.publicFrom(eph);
        byte[] h = Blake2s.hash(hash, ephPub);
        byte[] ck = Kdf.kdf1(chainingKey, ephPub);
        byte[] ss1 = X25519.sharedSecret(eph, remoteEphemeral);
        byte[] ss2 = X25519.sharedSecret(eph, remoteStatic);
        if (ss1 == null || ss2 == null) {
            return null;
        }
        ck = Kdf.kdf1(ck, ss1);
        ck = Kdf.kdf1(ck, ss2);
        byte[][] ckTauKey = Kdf.kdf3(ck, presharedKey);
        ck = ckTauKey[0];
        h = Blake2s.hash(h, ckTauKey[1]);
        byte[] empty = ChaChaPoly.seal(ckTauKey[2], 0, new byte[0], h);
        h = Blake2s.hash(h, empty);

        indices.release(localIndex);
        localIndex = indices.allocate();
        zero(localEphemeral);
        localEphemeral = eph;
        hash = h;
        chainingKey = ck;
        state = State.RESPONSE_CREATED;

        byte[] msg = new byte[Protocol.RESPONSE_SIZE];
        Noise.putIntLE(msg, MessageLayout.TYPE_OFFSET, Protocol.MESSAGE_RESPONSE);
        Noise.putIntLE(msg, Response.SENDER_OFFSET, localIndex);
        Noise.putIntLE(msg, Response.RECEIVER_OFFSET, remoteIndex);
        System.arraycopy(ephPub, 0, msg, Response.EPHEMERAL_OFFSET, MessageLayout.EPHEMERAL_SIZE);
        System.arraycopy(empty, 0, msg, Response.EMPTY_OFFSET, MessageLayout.EMPTY_SIZE);
        zero(ss1);
        zero(ss2);
        zero(ckTauKey[1]);
        zero(ckTauKey[2]);
        return msg;
    }

    /** The receiver index of a response (who it answers). */
    public static int responseReceiver(byte[] msg) {
        return Noise.getIntLE(msg, Response.RECEIVER_OFFSET);
    }

    /**
     * Consumes message 2 (initiator, §5.4.3) for the initiation that we sent last.
     *
     * @return whether it authenticated; the state is unchanged if not
     */
    public synchronized boolean consumeResponse(StaticIdentity identity, byte[] msg) {
        if (state != State.INITIATION_CREATED
                || identity == null
                || Noise.getIntLE(msg, MessageLayout.TYPE_OFFSET) != Protocol.MESSAGE_RESPONSE
                || Noise.getIntLE(msg, Response.RECEIVER_OFFSET) != localIndex) {
            return false;
        }
        byte[] ephPub = Arrays.copyOfRange(
                msg, Response.EPHEMERAL_OFFSET, Response.EPHEMERAL_OFFSET + MessageLayout.EPHEMERAL_SIZE);
        byte[] h = Blake2s.hash(hash, ephPub);
        byte[] ck = Kdf.kdf1(chainingKey, ephPub);
        byte[] ss1 = X25519.sharedSecret(localEphemeral, ephPub);
        byte[] ss2 = X25519.sharedSecret(identity.privateKey(), ephPub);
        if (ss1 == null || ss2 == null) {
            return false;
        }
        ck = Kdf.kdf1(ck, ss1);
        ck = Kdf.kdf1(ck, ss2);
        zero(ss1);
        zero(ss2);
        byte[][] ckTauKey = Kdf.kdf3(ck, presharedKey);
        ck = ckTauKey[0];
        h = Blake2s.hash(h, ckTauKey[1]);
        byte[] empty = ChaChaPoly.open(ckTauKey[2], 0, msg, Response.EMPTY_OFFSET, MessageLayout.EMPTY_SIZE, h);
        zero(ckTauKey[2]);
        if (empty == null) {
            return false;
        }
        h = Blake2s.hash(h, msg, Response.EMPTY_OFFSET, MessageLayout.EMPTY_SIZE);
        hash = h;
        chainingKey = ck;
        remoteIndex = Noise.getIntLE(msg, Response.SENDER_OFFSET);
        state = State.RESPONSE_CONSUMED;
        return true;
    }

    /**
     * Derives the transport keys (§5.4.5) once a response was created or consumed, and erases the
     * handshake state. The local index passes to the session: it is no longer the handshake's.
     *
     * @return the keys, or {@code null} in any other state
     */
    public synchronized SessionKeys deriveSession() {
        boolean initiator;
        if (state == State.RESPONSE_CONSUMED) {
            initiator = true;
        } else if (state == State.RESPONSE_CREATED) {
            initiator = false;
        } else {
            return null;
        }
        byte[][] keys = Kdf.kdf2(chainingKey, null);
        // lastSentHandshake dates this exchange's own message: an initiator set it when it claimed the
        // slot for the initiation that the consumed response answers (every later initiation claims
        // the slot again and replaces the exchange, so an answer to an earlier one no longer matches);
        // a responder in markSent, just before it built the response
        SessionKeys session = initiator
                ? new SessionKeys(keys[0], keys[1], true, localIndex, remoteIndex, lastSentHandshake)
                : new SessionKeys(keys[1], keys[0], false, localIndex, remoteIndex, lastSentHandshake);
        zero(keys[0]); // SessionKeys holds copies of its own
        zero(keys[1]);
        zero(chainingKey);
        zero(hash);
        zero(localEphemeral);
        chainingKey = null;
        hash = null;
        localEphemeral = null;
        localIndex = 0;
        state = State.ZEROED;
        return session;
    }

    /** Abandons any exchange in progress and releases its index (the whitepaper's zeroing of handshake state). */
    public synchronized void clear() {
        zero(localEphemeral);
        zero(remoteEphemeral);
        zero(chainingKey);
        zero(hash);
        localEphemeral = null;
        remoteEphemeral = null;
        chainingKey = null;
        hash = null;
        indices.release(localIndex);
        localIndex = 0;
        state = State.ZEROED;
    }

    private static void zero(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}

package dev.wirehaven.wireguard.internal.noise;

import dev.wirehaven.wireguard.internal.MessageLayout;
import dev.wirehaven.wireguard.internal.MessageLayout.Initiation;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.Blake2s;
import dev.wirehaven.wireguard.internal.crypto.ChaChaPoly;
import dev.wirehaven.wireguard.internal.crypto.Kdf;
import dev.wirehaven.wireguard.internal.crypto.X25519;

/**
 * The responder's first half of consuming an initiation (whitepaper §5.4.2), which needs only the
 * interface's static key: it decrypts the initiator's static public key, so that the device can find
 * the peer whose {@link Handshake} finishes the job.
 */
public final class InitiationPrefix {

    final byte[] initiatorStatic;
    final byte[] hash;
    final byte[] chainingKey;
    final byte[] remoteEphemeral;
    final int senderIndex;

    private InitiationPrefix(
            byte[] initiatorStatic, byte[] hash, byte[] chainingKey, byte[] remoteEphemeral, int senderIndex) {
        this.initiatorStatic = initiatorStatic;
        this.hash = hash;
        this.chainingKey = chainingKey;
        this.remoteEphemeral = remoteEphemeral;
        this.senderIndex = senderIndex;
    }

    /**
     * Runs the responder's steps up to and including the decryption of the static key.
     *
     * @param msg an initiation of exactly {@link Protocol#INITIATION_SIZE} bytes
     * @return the state to continue with, or {@code null} if the message does not decrypt
     */
    public static InitiationPrefix read(StaticIdentity identity, byte[] msg) {
        if (Noise.getIntLE(msg, MessageLayout.TYPE_OFFSET) != Protocol.MESSAGE_INITIATION) {
            return null;
        }
        byte[] ephemeral = java.util.Arrays.copyOfRange(
                msg, Initiation.EPHEMERAL_OFFSET, Initiation.EPHEMERAL_OFFSET + MessageLayout.EPHEMERAL_SIZE);
        byte[] hash = Blake2s.hash(Noise.initialHash(), identity.publicKeyRef());
        hash = Blake2s.hash(hash, ephemeral);
        byte[] ck = Kdf.kdf1(Noise.initialChainingKey(), ephemeral);
        byte[] ss = X25519.sharedSecret(identity.privateKey(), ephemeral);
        if (ss == null) {
            return null;
        }
        byte[][] ckKey = Kdf.kdf2(ck, ss);
        java.util.Arrays.fill(ss, (byte) 0);
        byte[] initiatorStatic =
                ChaChaPoly.open(ckKey[1], 0, msg, Initiation.STATIC_OFFSET, MessageLayout.STATIC_SIZE, hash);
        java.util.Arrays.fill(ckKey[1], (byte) 0);
        if (initiatorStatic == null) {
            return null;
        }
        hash = Blake2s.hash(hash, msg, Initiation.STATIC_OFFSET, MessageLayout.STATIC_SIZE);
        int sender = Noise.getIntLE(msg, Initiation.SENDER_OFFSET);
        return new InitiationPrefix(initiatorStatic, hash, ckKey[0], ephemeral, sender);
    }

    /** A copy of the initiator's static public key, to look the peer up by. */
    public byte[] initiatorStatic() {
        return initiatorStatic.clone();
    }

    /** The initiator's sender index. */
    public int senderIndex() {
        return senderIndex;
    }
}

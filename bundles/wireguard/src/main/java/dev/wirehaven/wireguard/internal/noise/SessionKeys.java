package dev.wirehaven.wireguard.internal.noise;

import java.util.Arrays;

/**
 * The transport keys a completed handshake derives (whitepaper §5.4.5), with the indices that label
 * the session: we receive on {@code localIndex} and send to {@code remoteIndex}, and when our
 * message of the exchange went out ({@code sentNanos}, on the device's monotonic clock: the initiation
 * that this session answers for an initiator, the response for a responder), from which the device
 * measures the handshake's latency.
 *
 * <p>The keys are copied in and out, as every key type here does, so that nobody outside can change
 * them; whoever takes a key clears the copy it was given once it is done with it, and the holder of
 * this value {@linkplain #destroy() destroys} it, which clears the copies held here.
 */
public record SessionKeys(
        byte[] sendKey, byte[] receiveKey, boolean initiator, int localIndex, int remoteIndex, long sentNanos) {

    public SessionKeys {
        sendKey = sendKey.clone();
        receiveKey = receiveKey.clone();
    }

    /** A copy of the key we seal with; the caller clears it after use. */
    @Override
    public byte[] sendKey() {
        return sendKey.clone();
    }

    /** A copy of the key we open with; the caller clears it after use. */
    @Override
    public byte[] receiveKey() {
        return receiveKey.clone();
    }

    /** Clears both keys held here (best effort: the JVM may have moved copies of the arrays). */
    public void destroy() {
        Arrays.fill(sendKey, (byte) 0);
        Arrays.fill(receiveKey, (byte) 0);
    }
}

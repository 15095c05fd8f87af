package dev.wirehaven.wireguard.internal.noise;

/**
 * The transport keys a completed handshake derives (whitepaper §5.4.5), with the indices that label
 * the session: we receive on {@code localIndex} and send to {@code remoteIndex}.
 */
public record SessionKeys(byte[] sendKey, byte[] receiveKey, boolean initiator, int localIndex, int remoteIndex) {
}

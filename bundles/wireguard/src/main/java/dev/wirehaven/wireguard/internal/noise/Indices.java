package dev.wirehaven.wireguard.internal.noise;

/** Allocates the random 32-bit session indices (whitepaper §5.4.2, "sender") of one peer's handshakes. */
public interface Indices {

    /** A fresh index, never 0, not in use by any other session of the device, bound to this peer's handshake. */
    int allocate();

    /** Releases an index; 0 (none) is ignored. */
    void release(int index);
}

package dev.wirehaven.wireguard.internal.crypto;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory through which a native transport cipher sees a packet: the caller's packet is a
 * heap {@code byte[]} at an offset, which native code cannot address, so each call copies it in and
 * the result out, once each way.
 *
 * <p>Why not hand the array to JNA: a direct-mapped {@code byte[]} argument is copied by JNI to a
 * temporary native block and back <em>whole</em> (not just the packet), once per argument, and
 * cannot start at an offset. The AEAD calls take the packet twice (input and output are the same
 * bytes), and each argument would get its own copy, copied back in argument order, so the array
 * would end up holding whichever copy came back last: in place through arrays is not only no
 * cheaper (TransportCipherBenchmark.sealSodiumArrays, out of place at offset 0, its best case, was
 * no faster than the copies here) but wrong.
 *
 * <p>The block is a direct {@link ByteBuffer}: its absolute bulk {@code put}/{@code get} are plain
 * Java memory copies, where JNA's {@code Memory.write}/{@code read} are one JNI call each.
 *
 * <p>Layout: the key at {@link #KEY}, the nonce at {@link #NONCE}, a 4-byte output length at
 * {@link #OUT_LEN}, the packet (ciphertext, then its tag) from {@link #DATA}. The natives take
 * addresses as {@code long}s, so a pointer into the block costs no object.
 *
 * <p>The block grows (by allocation) only when a packet is larger than any before; it starts at 2 KB
 * of packet, enough for any packet of a 1500-byte MTU. The last key and packet stay in it until the
 * next call, as they stay in the state of the Java ciphers; when the owning cipher becomes
 * unreachable, a cleaner zeroes the block before the JDK frees it.
 */
final class NativeScratch {

    static final int KEY = 0;
    static final int NONCE = 32;
    static final int OUT_LEN = 48;
    static final int DATA = 64;
    private static final int INITIAL_DATA = 2048;

    /** One cleaner thread for the native transport ciphers' blocks and contexts. */
    static final Cleaner CLEANER = Cleaner.create();

    /** What the cleaner holds: the current block, without a path back to the owner. */
    private static final class Block implements Runnable {
        volatile ByteBuffer memory;

        @Override
        public void run() {
            zero(memory);
        }
    }

    private final Block block = new Block();
    private final byte[] key = new byte[32];

    private ByteBuffer memory;
    private long base;
    private int capacity;

    NativeScratch(Object owner) {
        allocate(INITIAL_DATA);
        CLEANER.register(owner, block);
    }

    /** Address of the block; data starts at {@code base() + DATA}. Valid until the next {@link #reserve}. */
    long base() {
        return base;
    }

    /** Makes room for {@code dataLength} bytes of packet (ciphertext and tag). */
    /**
     * Makes room for {@code len} bytes, writes the key and the counter's nonce and copies the packet in:
     * what every native seal and open does first.
     */
    void stage(TransportKey key, long counter, byte[] buf, int off, int len) {
        reserve(len);
        keyAndNonce(key, counter);
        copyIn(buf, off, len);
    }

    void reserve(int dataLength) {
        if (dataLength > capacity) {
            ByteBuffer old = memory;
            allocate(Math.max(dataLength, 2 * capacity));
            zero(old);
        }
    }

    private void allocate(int dataCapacity) {
        // a multiple of 8 bytes, for zero()
        ByteBuffer m = ByteBuffer.allocateDirect((DATA + dataCapacity + 7) & ~7).order(ByteOrder.LITTLE_ENDIAN);
        memory = m;
        block.memory = m;
        base = Pointer.nativeValue(Native.getDirectBufferPointer(m));
        capacity = dataCapacity;
    }

    /** Copies the key and the nonce (4 zero bytes, then the counter little-endian) in. */
    void keyAndNonce(TransportKey k, long counter) {
        k.bc().copyTo(key, 0, 32);
        memory.put(KEY, key);
        memory.putInt(NONCE, 0);
        memory.putLong(NONCE + 4, counter);
    }

    void copyIn(byte[] buf, int off, int len) {
        memory.put(DATA, buf, off, len);
    }

    void copyOut(byte[] buf, int off, int len) {
        memory.get(DATA, buf, off, len);
    }

    private static void zero(ByteBuffer b) {
        for (int i = 0; i < b.capacity(); i += 8) {
            b.putLong(i, 0L);
        }
    }
}

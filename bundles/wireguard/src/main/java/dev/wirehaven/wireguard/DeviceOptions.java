package dev.wirehaven.wireguard;

/**
 * Tunables of a device that the WireGuard protocol leaves to the implementation: thread counts, queue
 * sizes and buffer sizes. The protocol's own constants are fixed and not here.
 *
 * @param cryptoWorkers threads that seal and open transport packets for all peers
 * @param workQueueCapacity packets waiting for a crypto worker (rounded up to a power of two); when
 *        full, the reader that submits does the crypto itself (back-pressure)
 * @param handshakeWorkers threads that process handshake messages
 * @param handshakeQueueCapacity handshake messages waiting; past 1/8 of it the device is "under load"
 *        and demands cookies (whitepaper §5.3)
 * @param stagedPacketsPerPeer outbound packets held per peer while a handshake is in progress (the
 *        oldest is dropped beyond)
 * @param peerQueueCapacity packets in flight per peer and direction; when full, the reader that adds
 *        one does queued crypto work itself for a while (back-pressure), then drops the packet
 * @param poolCapacity packet buffers kept for reuse
 * @param bufferSize bytes per packet buffer; raised to fit the TUN MTU plus WireGuard's overhead.
 *        A datagram larger than this is truncated and fails authentication.
 * @param flowsPerPeer the most flows that the filter of one peer tracks ({@link PeerFilter}); at most
 *        {@link #MAX_FLOWS_PER_PEER}. A peer without filter tracks none and costs nothing for it.
 */
public record DeviceOptions(
        int cryptoWorkers,
        int workQueueCapacity,
        int handshakeWorkers,
        int handshakeQueueCapacity,
        int stagedPacketsPerPeer,
        int peerQueueCapacity,
        int poolCapacity,
        int bufferSize,
        int flowsPerPeer) {

    /** The default of {@link #flowsPerPeer()}. */
    public static final int DEFAULT_FLOWS_PER_PEER = 4096;

    /** The largest {@link #flowsPerPeer()}: a full table of this many flows takes about 120 MB. */
    public static final int MAX_FLOWS_PER_PEER = 1 << 20;

    public DeviceOptions {
        positive("cryptoWorkers", cryptoWorkers);
        positive("workQueueCapacity", workQueueCapacity);
        positive("handshakeWorkers", handshakeWorkers);
        positive("handshakeQueueCapacity", handshakeQueueCapacity);
        positive("stagedPacketsPerPeer", stagedPacketsPerPeer);
        positive("peerQueueCapacity", peerQueueCapacity);
        positive("poolCapacity", poolCapacity);
        if (bufferSize < 1280) {
            throw new IllegalArgumentException(
                    "bufferSize must be at least 1280 bytes (the IPv6 minimum MTU), was " + bufferSize);
        }
        positive("flowsPerPeer", flowsPerPeer);
        if (flowsPerPeer > MAX_FLOWS_PER_PEER) {
            throw new IllegalArgumentException(
                    "flowsPerPeer must be at most " + MAX_FLOWS_PER_PEER + ", was " + flowsPerPeer);
        }
    }

    /** The 1.0 options: {@link #flowsPerPeer()} is {@link #DEFAULT_FLOWS_PER_PEER}. */
    public DeviceOptions(
            int cryptoWorkers,
            int workQueueCapacity,
            int handshakeWorkers,
            int handshakeQueueCapacity,
            int stagedPacketsPerPeer,
            int peerQueueCapacity,
            int poolCapacity,
            int bufferSize) {
        this(
                cryptoWorkers,
                workQueueCapacity,
                handshakeWorkers,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                poolCapacity,
                bufferSize,
                DEFAULT_FLOWS_PER_PEER);
    }

    /**
     * One crypto worker per available core, queues as wireguard-go sizes them (1024 handshake and
     * per-peer packets, 128 staged packets), 2048-byte buffers, 4096 flows per filtered peer.
     */
    public static DeviceOptions defaults() {
        return new DeviceOptions(
                Runtime.getRuntime().availableProcessors(),
                1024,
                1,
                1024,
                128,
                1024,
                2048,
                2048,
                DEFAULT_FLOWS_PER_PEER);
    }

    public DeviceOptions withCryptoWorkers(int n) {
        return new DeviceOptions(
                n,
                workQueueCapacity,
                handshakeWorkers,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                poolCapacity,
                bufferSize,
                flowsPerPeer);
    }

    public DeviceOptions withWorkQueueCapacity(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                n,
                handshakeWorkers,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                poolCapacity,
                bufferSize,
                flowsPerPeer);
    }

    public DeviceOptions withHandshakeWorkers(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                workQueueCapacity,
                n,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                poolCapacity,
                bufferSize,
                flowsPerPeer);
    }

    public DeviceOptions withHandshakeQueueCapacity(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                workQueueCapacity,
                handshakeWorkers,
                n,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                poolCapacity,
                bufferSize,
                flowsPerPeer);
    }

    public DeviceOptions withStagedPacketsPerPeer(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                workQueueCapacity,
                handshakeWorkers,
                handshakeQueueCapacity,
                n,
                peerQueueCapacity,
                poolCapacity,
                bufferSize,
                flowsPerPeer);
    }

    public DeviceOptions withPeerQueueCapacity(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                workQueueCapacity,
                handshakeWorkers,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                n,
                poolCapacity,
                bufferSize,
                flowsPerPeer);
    }

    public DeviceOptions withPoolCapacity(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                workQueueCapacity,
                handshakeWorkers,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                n,
                bufferSize,
                flowsPerPeer);
    }

    public DeviceOptions withBufferSize(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                workQueueCapacity,
                handshakeWorkers,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                poolCapacity,
                n,
                flowsPerPeer);
    }

    /** @since 1.1 */
    public DeviceOptions withFlowsPerPeer(int n) {
        return new DeviceOptions(
                cryptoWorkers,
                workQueueCapacity,
                handshakeWorkers,
                handshakeQueueCapacity,
                stagedPacketsPerPeer,
                peerQueueCapacity,
                poolCapacity,
                bufferSize,
                n);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + v);
        }
    }
}

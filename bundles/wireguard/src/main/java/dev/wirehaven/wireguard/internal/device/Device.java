package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.conn.Bind;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.allowedips.AllowedIps;
import dev.wirehaven.wireguard.internal.crypto.TransportCipher;
import dev.wirehaven.wireguard.internal.crypto.TransportCiphers;
import dev.wirehaven.wireguard.internal.noise.CookieChecker;
import dev.wirehaven.wireguard.internal.noise.StaticIdentity;
import dev.wirehaven.wireguard.internal.ratelimiter.RateLimiter;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The userspace WireGuard device: its lifecycle (start, configuration, close), its peers and the
 * threads that carry the packets of all of them: one TUN reader, one UDP reader per bind, a shared pool
 * of crypto workers, a handshake worker and a timer thread. The packets themselves take the
 * {@link SendPath} (TUN to UDP) and the {@link ReceivePath} (UDP to TUN or to the handshake worker);
 * the bind, its readers and the move to another port are the device's {@link Net}.
 */
public final class Device implements WireGuardDevice {

    /** Most peers one device holds (as wireguard-go). */
    static final int MAX_PEERS = 1 << 16;

    /** How long a reader whose TUN device or socket keeps failing waits before it tries again: no spinning core. */
    static final long READ_ERROR_PAUSE_NANOS = 10_000_000L;

    final String name;
    final TunDevice tun;
    final DeviceOptions options;
    final Clock clock;
    final RandomGenerator random;
    /**
     * The timers' jitter: the device's generator in tests (a seeded one), but not a SecureRandom, whose
     * every call allocates and may take a lock, once per batch of data sent (wireguard-go draws
     * timer jitter from a fast non-cryptographic generator too).
     */
    final RandomGenerator timerJitter;

    final int mtu;
    final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    final IndexTable indexTable;
    final ElementPool pool;
    final CryptoWorkers workers;
    final TimerService timerService;
    final HandshakeWorker handshakes;
    final CookieChecker cookieChecker;
    final RateLimiter rateLimiter;
    final DropCounters drops = new DropCounters();
    final CompletedHandshakes completedHandshakes = new CompletedHandshakes();
    final SendPath sendPath;
    final ReceivePath receivePath;

    final Net net;
    private final ConcurrentHashMap<Key, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong peerOrder = new AtomicLong();
    private final Object configLock = new Object();
    private final boolean timerThread;
    private final Thread tunReader;
    private volatile StaticIdentity identity;
    private volatile Key privateKey;
    /** Read by the UDP reader for handshake messages only; replaced whole by a configuration transaction. */
    volatile BlockedSources blockedSources = BlockedSources.NONE;

    private volatile boolean closed;

    private Device(
            String name,
            TunDevice tun,
            BindFactory binds,
            DeviceOptions options,
            Clock clock,
            RandomGenerator random,
            boolean timerThread) {
        this.name = name;
        this.tun = tun;
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.timerJitter = random instanceof java.security.SecureRandom
                ? () -> java.util.concurrent.ThreadLocalRandom.current().nextLong()
                : random;
        this.timerThread = timerThread;
        this.mtu = tun.mtu();
        // one buffer size for both directions: a packet of up to the MTU (never less than IPv6 allows)
        // with the transport header, padding and tag around it, and a tag's worth to spare
        int bufferSize = Math.max(
                options.bufferSize(),
                Element.HEADROOM + Math.max(mtu, IpHeader.IPV6_MINIMUM_MTU) + Element.TAILROOM + Protocol.TAG_SIZE);
        this.indexTable = new IndexTable(random, random.nextInt(256));
        this.pool = new ElementPool(options.poolCapacity(), bufferSize);
        this.workers = new CryptoWorkers(name, options.cryptoWorkers(), options.workQueueCapacity(), this::crypt);
        this.timerService = new TimerService(clock);
        this.cookieChecker = new CookieChecker(clock, random);
        this.rateLimiter = new RateLimiter(clock);
        this.handshakes = new HandshakeWorker(this, cookieChecker, rateLimiter);
        this.sendPath = new SendPath(this);
        this.receivePath = new ReceivePath(this);
        this.net = new Net(this, binds);
        this.tunReader = new Thread(sendPath::readTun, name + "-tun-reader");
        this.tunReader.setDaemon(true);
    }

    /**
     * Creates and starts a device and opens its bind on a free port.
     *
     * @param timerThread false to run no timer thread: tests with a controlled clock then call
     *        {@link #runDueTimers()}
     */
    public static Device create(
            String name,
            TunDevice tun,
            BindFactory binds,
            DeviceOptions options,
            Clock clock,
            RandomGenerator random,
            boolean timerThread)
            throws IOException {
        Device d = new Device(name, tun, binds, options, clock, random, timerThread);
        d.net.open();
        d.start();
        return d;
    }

    private void start() {
        workers.start();
        handshakes.start();
        if (timerThread) {
            timerService.start(name);
        }
        tunReader.start();
        net.startReaders();
    }

    @Override
    public String name() {
        return name;
    }

    StaticIdentity identity() {
        return identity;
    }

    Peer peer(Key publicKey) {
        return peers.get(publicKey);
    }

    void drop(DropReason reason) {
        drops.add(reason);
    }

    @Override
    public String dataPath() {
        return "jdk " + Runtime.version() + "; aead " + TransportCiphers.description() + "; tun " + tun.ioPath() + "; "
                + net.describe();
    }

    boolean isClosed() {
        return closed;
    }

    /** The crypto workers' stage, shared by both paths (one pool of workers serves them both). */
    private void crypt(Element e, TransportCipher cipher, boolean kick) {
        if (e.outbound) {
            sendPath.encrypt(e, cipher, kick);
        } else {
            receivePath.decrypt(e, cipher, kick);
        }
    }

    // ---- configuration ----

    @Override
    public void configure(ConfigTransaction transaction) throws ConfigException {
        List<Peer> keepaliveNow = new ArrayList<>();
        synchronized (configLock) {
            if (closed) {
                throw new ConfigException("device " + name + " is closed");
            }
            try {
                Configurator c = new Configurator(this, keepaliveNow);
                transaction.apply(c);
                BlockedSources blocked = c.blockedSources();
                if (blocked != null) {
                    blockedSources = blocked; // only once the whole transaction succeeded
                }
            } finally {
                for (Peer p : keepaliveNow) {
                    if (!p.removed) {
                        p.sendKeepalive();
                    }
                }
            }
        }
    }

    /** Sets or removes the private key, as wireguard-go's SetPrivateKey. Caller holds configLock. */
    void setPrivateKey(Key key) {
        Key next = key == null || key.isZero() ? null : key;
        if (next == null ? privateKey == null : next.equals(privateKey)) {
            return;
        }
        StaticIdentity id = next == null ? null : new StaticIdentity(next.toBytes());
        if (id != null) {
            removePeer(Key.of(id.publicKey())); // a peer with our own public key makes no sense
        }
        StaticIdentity old = identity;
        identity = id;
        privateKey = next;
        cookieChecker.init(id == null ? null : id.publicKey());
        for (Peer p : peers.values()) {
            p.handshake.setIdentity(id);
            p.expireCurrentKeypairs();
        }
        if (old != null) {
            old.destroy();
        }
    }

    Key publicKey() {
        StaticIdentity id = identity;
        return id == null ? null : Key.of(id.publicKey());
    }

    /** Adds a peer of {@code owner} (null: of the operator). Caller holds configLock. */
    Peer addPeer(Key publicKey, String owner) throws ConfigException {
        if (peers.size() >= MAX_PEERS) {
            throw new ConfigException("device " + name + " already has the maximum of " + MAX_PEERS + " peers");
        }
        Peer p = new Peer(this, publicKey, peerOrder.incrementAndGet(), owner);
        peers.put(publicKey, p);
        return p;
    }

    void removePeer(Key publicKey) {
        Peer p = peers.remove(publicKey);
        if (p != null) {
            allowedIps.removeAll(p);
            p.remove();
        }
    }

    void removeAllPeers() {
        for (Key k : new ArrayList<>(peers.keySet())) {
            removePeer(k);
        }
    }

    // ---- state ----

    @Override
    public DeviceSnapshot snapshot() {
        synchronized (configLock) {
            List<Peer> list = new ArrayList<>(peers.values());
            list.sort(Comparator.comparingLong(p -> p.order));
            List<PeerSnapshot> out = new ArrayList<>(list.size());
            Map<Peer, List<Cidr>> prefixes = allowedIps.prefixesByPeer();
            for (Peer p : list) {
                out.add(p.snapshot(prefixes.getOrDefault(p, List.of())));
            }
            Bind b = net.bind();
            return new DeviceSnapshot(
                    privateKey,
                    b == null ? 0 : b.port(),
                    net.fwmark(),
                    out,
                    dropSnapshot(),
                    blockedSources.prefixes(),
                    rateLimiter.refusedSources(),
                    completedHandshakes.snapshot());
        }
    }

    /** The device's drop counts, with what the kernel dropped for it at the current bind's sockets. */
    private Map<DropReason, Long> dropSnapshot() {
        Map<DropReason, Long> m = drops.snapshot();
        for (DropReason reason : Net.KERNEL_DROP_REASONS) {
            m.merge(reason, net.kernelDrops(reason), Long::sum);
        }
        return m;
    }

    /** Packets dropped for {@code reason} so far, by the device or for it by the kernel. */
    public long drops(DropReason reason) {
        return drops.get(reason) + net.kernelDrops(reason);
    }

    /** Keepalives received from the peer with {@code publicKey} (they are counted, never written to the TUN). */
    public long keepalivesReceived(Key publicKey) {
        Peer p = peers.get(publicKey);
        return p == null ? 0 : p.keepalivesReceived.get();
    }

    /** Runs the timers that are due by the clock; for tests that drive a controlled clock. */
    public int runDueTimers() {
        return timerService.runDue();
    }

    /** Test hook: demand cookies from every handshake as if under load (whitepaper §5.3). */
    public void forceUnderLoad(boolean on) {
        handshakes.forceUnderLoad(on);
    }

    /** The session indices in use (handshakes in progress plus keypairs), for tests. */
    public int indicesInUse() {
        return indexTable.size();
    }

    @Override
    public void close() {
        synchronized (configLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            tun.close();
        } catch (IOException e) {
            drops.add(DropReason.IO_ERROR);
        }
        net.close();
        handshakes.close();
        timerService.close();
        for (Peer p : peers.values()) {
            p.remove();
        }
        workers.close();
        try {
            tunReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StaticIdentity id = identity;
        if (id != null) {
            id.destroy();
        }
    }
}

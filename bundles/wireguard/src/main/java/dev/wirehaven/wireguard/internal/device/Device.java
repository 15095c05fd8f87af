package dev.wirehaven.wireguard.internal.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

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
import dev.wirehaven.wireguard.conn.UdpBind;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.allowedips.AllowedIps;
import dev.wirehaven.wireguard.internal.crypto.TransportCipher;
import dev.wirehaven.wireguard.internal.noise.CookieChecker;
import dev.wirehaven.wireguard.internal.noise.Noise;
import dev.wirehaven.wireguard.internal.noise.StaticIdentity;
import dev.wirehaven.wireguard.internal.ratelimiter.RateLimiter;
import dev.wirehaven.wireguard.internal.time.Clock;

/**
 * The userspace WireGuard device: one TUN reader, one UDP reader per bind, a shared pool of crypto
 * workers, a handshake worker and a timer thread, for any number of peers.
 *
 * <p>Send path: TUN reader → allowed-IPs lookup of the destination → {@link Peer#sendPacket} (stage,
 * take keypair, assign nonce, queue in order) → crypto worker seals in place → {@link Outbound} sends
 * in order. Receive path: UDP reader → by message type: handshakes to the {@link HandshakeWorker};
 * transport data → index table → keypair → queue in order → crypto worker opens in place →
 * {@link Inbound} checks replay, confirms, checks the source, writes to the TUN device.
 */
public final class Device implements WireGuardDevice, CryptoWorkers.Processor {

    /** How often the UDP reader helps the crypto workers before it drops a packet for a full peer queue. */
    private static final int FULL_QUEUE_PATIENCE = 4096;

    /** Most peers one device holds (as wireguard-go). */
    static final int MAX_PEERS = 1 << 16;

    final String name;
    final TunDevice tun;
    final DeviceOptions options;
    final Clock clock;
    final RandomGenerator random;
    final int mtu;
    final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    final IndexTable indexTable;
    final ElementPool pool;
    final CryptoWorkers workers;
    final TimerService timerService;
    final HandshakeWorker handshakes;
    final CookieChecker cookieChecker;
    final DropCounters drops = new DropCounters();

    private final BindFactory binds;
    private final ConcurrentHashMap<Key, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong peerOrder = new AtomicLong();
    private final Object configLock = new Object();
    private final boolean timerThread;
    private final List<Thread> readers = new ArrayList<>();
    private volatile StaticIdentity identity;
    private volatile Key privateKey;
    private volatile Bind bind;
    private int configuredPort; // guarded by configLock
    private volatile int fwmark;
    private volatile boolean closed;

    private Device(String name, TunDevice tun, BindFactory binds, DeviceOptions options, Clock clock,
            RandomGenerator random, boolean timerThread) {
        this.name = name;
        this.tun = tun;
        this.binds = binds;
        this.options = options;
        this.clock = clock;
        this.random = random;
        this.timerThread = timerThread;
        this.mtu = tun.mtu();
        int bufferSize = Math.max(options.bufferSize(),
                Element.HEADROOM + Math.max(mtu, 1280) + Element.TAILROOM + Protocol.TAG_SIZE);
        this.indexTable = new IndexTable(random);
        this.pool = new ElementPool(options.poolCapacity(), bufferSize);
        this.workers = new CryptoWorkers(name, options.cryptoWorkers(), options.workQueueCapacity(), this);
        this.timerService = new TimerService(clock);
        this.cookieChecker = new CookieChecker(clock, random);
        this.handshakes = new HandshakeWorker(this, cookieChecker, new RateLimiter(clock));
    }

    /**
     * Creates and starts a device and opens its bind on a free port.
     *
     * @param timerThread false to run no timer thread: tests with a controlled clock then call
     *        {@link #runDueTimers()}
     */
    public static Device create(String name, TunDevice tun, BindFactory binds, DeviceOptions options, Clock clock,
            RandomGenerator random, boolean timerThread) throws IOException {
        Device d = new Device(name, tun, binds, options, clock, random, timerThread);
        d.bind = binds.open(0);
        d.start();
        return d;
    }

    private void start() {
        workers.start();
        handshakes.start();
        if (timerThread) {
            timerService.start(name);
        }
        startReader(new Thread(this::readTun, name + "-tun-reader"));
        startUdpReader(bind);
    }

    private void startUdpReader(Bind b) {
        startReader(new Thread(() -> readUdp(b), name + "-udp-reader-" + b.port()));
    }

    private void startReader(Thread t) {
        t.setDaemon(true);
        synchronized (readers) {
            readers.add(t);
        }
        t.start();
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

    /** Sends one datagram over the current bind; false (counted) if the bind refused it. */
    boolean send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            bind.send(datagram, to);
            return true;
        } catch (IOException | RuntimeException e) {
            drops.add(DropReason.IO_ERROR);
            return false;
        }
    }

    // ---- send path, stage 1: the TUN reader ----

    private void readTun() {
        int max = pool.bufferSize() - Element.HEADROOM - Element.TAILROOM - Protocol.TAG_SIZE;
        while (!closed) {
            Element e = pool.acquire();
            int n;
            try {
                n = tun.read(e.buf, Element.HEADROOM, max);
            } catch (IOException | RuntimeException ex) {
                pool.release(e);
                if (closed) {
                    return;
                }
                drops.add(DropReason.IO_ERROR);
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // a failing TUN must not spin a core
                continue;
            }
            if (n < 0) {
                pool.release(e);
                return;
            }
            try {
                route(e, n);
            } catch (RuntimeException ex) {
                drops.add(DropReason.IO_ERROR);
            }
        }
    }

    private void route(Element e, int n) {
        byte[] b = e.buf;
        int off = Element.HEADROOM;
        int version = n > 0 ? (b[off] & 0xff) >>> 4 : 0;
        Peer peer;
        if (version == 4 && n >= 20) {
            peer = allowedIps.lookup(b, off + 16, false);
        } else if (version == 6 && n >= 40) {
            peer = allowedIps.lookup(b, off + 24, true);
        } else {
            drops.add(DropReason.BAD_INNER_PACKET);
            pool.release(e);
            return;
        }
        if (peer == null) {
            drops.add(DropReason.NO_ROUTE);
            pool.release(e);
            return;
        }
        if (peer.endpoint == null) {
            drops.add(DropReason.NO_ENDPOINT);
            pool.release(e);
            return;
        }
        e.length = n;
        peer.sendPacket(e);
    }

    // ---- receive path, stage 1: the UDP reader ----

    private void readUdp(Bind b) {
        while (!closed && bind == b) {
            Element e = pool.acquire();
            ByteBuffer view = e.view;
            view.clear();
            InetSocketAddress source;
            try {
                source = b.receive(view);
            } catch (IOException | RuntimeException ex) {
                pool.release(e);
                if (closed || bind != b) {
                    return;
                }
                drops.add(DropReason.IO_ERROR);
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                continue;
            }
            if (source == null) {
                pool.release(e);
                return;
            }
            e.length = view.position();
            e.source = source;
            try {
                dispatch(e);
            } catch (RuntimeException ex) {
                drops.add(DropReason.MALFORMED);
                pool.release(e);
            }
        }
    }

    private void dispatch(Element e) {
        int len = e.length;
        byte[] b = e.buf;
        int type = len >= 4 ? Noise.getIntLE(b, 0) : 0;
        switch (type) {
            case Protocol.MESSAGE_TRANSPORT -> {
                if (len < Protocol.KEEPALIVE_SIZE) {
                    dropElement(e, DropReason.MALFORMED);
                    return;
                }
                IndexTable.Entry entry = indexTable.lookup(Noise.getIntLE(b, 4));
                Keypair kp = entry == null ? null : entry.keypair();
                if (kp == null || kp.peer.removed) {
                    dropElement(e, DropReason.UNKNOWN_INDEX);
                    return;
                }
                if (!kp.canReceive(clock.nanoTime())) {
                    dropElement(e, DropReason.KEY_EXPIRED);
                    return;
                }
                e.peer = kp.peer;
                e.keypair = kp;
                e.counter = Noise.getLongLE(b, 8);
                e.outbound = false;
                for (int patience = FULL_QUEUE_PATIENCE; !kp.peer.inbound.offer(e, options.peerQueueCapacity()); ) {
                    if (--patience == 0) {
                        dropElement(e, DropReason.QUEUE_FULL);
                        return;
                    }
                    workers.helpOrYield(); // back-pressure on the socket instead of dropping at once
                }
                workers.submit(e);
            }
            case Protocol.MESSAGE_INITIATION, Protocol.MESSAGE_RESPONSE, Protocol.MESSAGE_COOKIE_REPLY -> {
                int expected = type == Protocol.MESSAGE_INITIATION ? Protocol.INITIATION_SIZE
                        : type == Protocol.MESSAGE_RESPONSE ? Protocol.RESPONSE_SIZE : Protocol.COOKIE_REPLY_SIZE;
                if (len != expected) {
                    dropElement(e, DropReason.MALFORMED);
                } else if (!handshakes.offer(e)) {
                    dropElement(e, DropReason.QUEUE_FULL);
                }
            }
            default -> dropElement(e, DropReason.MALFORMED);
        }
    }

    private void dropElement(Element e, DropReason reason) {
        drops.add(reason);
        pool.release(e);
    }

    // ---- stage 2 of both paths: the crypto workers ----

    @Override
    public void process(Element e, TransportCipher cipher) {
        InOrderQueue queue = e.outbound ? e.peer.outbound : e.peer.inbound;
        int state;
        try {
            if (e.outbound) {
                seal(e, cipher);
                state = Element.DONE;
            } else {
                int n = cipher.open(e.keypair.receiveKey, e.counter, e.buf, Element.HEADROOM,
                        e.length - Element.HEADROOM);
                if (n < 0) {
                    drops.add(DropReason.BAD_AUTH_TAG);
                    state = Element.DROPPED;
                } else {
                    e.length = n;
                    state = Element.DONE;
                }
            }
        } catch (RuntimeException ex) {
            drops.add(e.outbound ? DropReason.IO_ERROR : DropReason.BAD_AUTH_TAG);
            state = Element.DROPPED;
        }
        e.state = state; // publishes the element: another thread may deliver and recycle it from here on
        queue.kick();
    }

    private void seal(Element e, TransportCipher cipher) {
        byte[] b = e.buf;
        int plain = e.length;
        int padded = plain + paddingSize(plain, mtu);
        Arrays.fill(b, Element.HEADROOM + plain, Element.HEADROOM + padded, (byte) 0);
        Keypair kp = e.keypair;
        Noise.putIntLE(b, 0, Protocol.MESSAGE_TRANSPORT);
        Noise.putIntLE(b, 4, kp.remoteIndex);
        Noise.putLongLE(b, 8, e.counter);
        e.length = Element.HEADROOM + cipher.seal(kp.sendKey, e.counter, b, Element.HEADROOM, padded);
    }

    /** Zero padding to a multiple of 16 but never past the MTU (§5.4.6; wireguard-go's calculatePaddingSize). */
    static int paddingSize(int size, int mtu) {
        int last = size;
        if (mtu == 0) {
            return ((last + Protocol.PADDING_MULTIPLE - 1) & -Protocol.PADDING_MULTIPLE) - last;
        }
        if (last > mtu) {
            last %= mtu;
        }
        int padded = (last + Protocol.PADDING_MULTIPLE - 1) & -Protocol.PADDING_MULTIPLE;
        if (padded > mtu) {
            padded = mtu;
        }
        return padded - last;
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
                transaction.apply(new Configurator(this, keepaliveNow));
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

    /** Rebinds to {@code port}; the old bind is closed only once the new one is open. Caller holds configLock. */
    void setListenPort(int port) throws ConfigException {
        if (port < 0 || port > 65535) {
            throw new ConfigException("listen port " + port + " is outside 0-65535");
        }
        if (port == configuredPort && port != 0) {
            return;
        }
        if (port == 0 && configuredPort == 0) {
            return; // already on a port of our choosing
        }
        Bind next;
        try {
            next = binds.open(port);
        } catch (IOException e) {
            throw new ConfigException("cannot listen on UDP port " + port + " (" + e.getMessage()
                    + "); choose a free port, or 0 for any", e);
        }
        try {
            applyFwmark(next);
        } catch (UncheckedIOException e) {
            try {
                next.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ConfigException(e.getMessage(), e);
        }
        Bind old = bind;
        bind = next;
        configuredPort = port;
        startUdpReader(next);
        try {
            old.close();
        } catch (IOException e) {
            drops.add(DropReason.IO_ERROR);
        }
    }

    /** Marks outgoing datagrams (SO_MARK) where the bind supports it; the value is kept for rebinds. */
    void setFwmark(int mark) {
        fwmark = mark;
        applyFwmark(bind);
    }

    private void applyFwmark(Bind b) {
        if (b instanceof UdpBind udp && (fwmark != 0 || udp.fwmark() != 0)) {
            try {
                udp.setFwmark(fwmark);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot set fwmark " + fwmark + " on the UDP socket (" + e.getMessage()
                        + "); it needs CAP_NET_ADMIN", e);
            }
        }
    }

    Peer addPeer(Key publicKey) throws ConfigException {
        if (peers.size() >= MAX_PEERS) {
            throw new ConfigException("device " + name + " already has the maximum of " + MAX_PEERS + " peers");
        }
        Peer p = new Peer(this, publicKey, peerOrder.incrementAndGet());
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
            Bind b = bind;
            return new DeviceSnapshot(privateKey, b == null ? 0 : b.port(), fwmark, out, drops.snapshot());
        }
    }

    /** Packets dropped for {@code reason} so far. */
    public long drops(DropReason reason) {
        return drops.get(reason);
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
        try {
            bind.close();
        } catch (IOException e) {
            drops.add(DropReason.IO_ERROR);
        }
        handshakes.close();
        timerService.close();
        for (Peer p : peers.values()) {
            p.remove();
        }
        workers.close();
        List<Thread> threads;
        synchronized (readers) {
            threads = new ArrayList<>(readers);
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        StaticIdentity id = identity;
        if (id != null) {
            id.destroy();
        }
    }
}

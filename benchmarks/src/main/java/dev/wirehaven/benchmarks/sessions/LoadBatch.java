package dev.wirehaven.benchmarks.sessions;

import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.ConnectionListener;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.WirehavenClient;
import dev.wirehaven.client.testing.MemoryPlatform;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One wave of clients: each with its own key pair, in-memory TUN and real UDP socket, started together
 * behind a barrier (or spread evenly over the ramp), each timing its {@code connect} from the call to
 * ACTIVE. The connector threads exist before the barrier opens, so creating them is not timed.
 * Public for the other load generators of this module ({@code benchmarks.cluster}).
 */
public final class LoadBatch {

    /**
     * The client devices' tunables: one peer and no traffic need one thread of each kind and short
     * queues; the defaults (a crypto thread per core, 1024-slot queues) would only add threads and heap.
     */
    private static final DeviceOptions CLIENT_DEVICE = DeviceOptions.defaults()
            .withCryptoWorkers(1)
            .withHandshakeWorkers(1)
            .withWorkQueueCapacity(64)
            .withHandshakeQueueCapacity(64)
            .withPeerQueueCapacity(64)
            .withStagedPacketsPerPeer(16)
            .withPoolCapacity(16);

    /** One client of the wave. */
    public static final class Client {
        public final int index;
        public final String device;
        final Key privateKey;
        final SetupTimeline timeline = new SetupTimeline();
        public final MemoryPlatform platform;
        /** Who else hears the connection's events, during and after the setup (added before {@link #connect}). */
        public final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

        public volatile Connection connection;
        public volatile String failure;
        volatile long closeNanos = SetupTimeline.NONE;

        Client(int index, String device) {
            this.index = index;
            this.device = device;
            this.privateKey = Keys.generatePrivate();
            this.platform = new MemoryPlatform(TimingBind.reportingTo(timeline), CLIENT_DEVICE);
        }

        boolean active() {
            Connection c = connection;
            return c != null && c.status().state() == ConnectionState.ACTIVE;
        }
    }

    private final String name;
    private final List<Client> clients;
    private long wallNanos;

    private LoadBatch(String name, List<Client> clients) {
        this.name = name;
        this.clients = clients;
    }

    /** Prepares {@code n} clients named {@code <name>-<i>} (their keys are made here, not while timed). */
    public static LoadBatch prepare(String name, int n) {
        List<Client> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clients.add(new Client(i, name + "-" + i));
        }
        return new LoadBatch(name, clients);
    }

    String name() {
        return name;
    }

    public List<Client> clients() {
        return clients;
    }

    /** From the barrier to the last client's outcome. */
    public long wallNanos() {
        return wallNanos;
    }

    /**
     * Connects every client; returns when each is ACTIVE or has failed.
     *
     * @param connectors threads calling {@code connect}
     */
    public void connect(WirehavenClient server, String user, LoadCredentials credentials, Duration ramp, int connectors)
            throws InterruptedException {
        ThreadPoolExecutor pool =
                (ThreadPoolExecutor) Executors.newFixedThreadPool(connectors, named(name + "-connect"));
        pool.prestartAllCoreThreads();
        CountDownLatch go = new CountDownLatch(1);
        long[] goAt = new long[1];
        long rampNanos = ramp.toNanos();
        int n = clients.size();
        List<Future<?>> done = new ArrayList<>(n);
        for (Client c : clients) {
            done.add(pool.submit(() -> {
                go.await();
                long slot = goAt[0] + (n <= 1 ? 0 : rampNanos * c.index / n);
                for (long left = slot - System.nanoTime(); left > 0; left = slot - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                ConnectOptions options = ConnectOptions.forUser(user)
                        .withDeviceName(c.device)
                        .withInterfaceName("wl" + c.index)
                        .withPrivateKey(c.privateKey)
                        .withListener(event -> {
                            c.timeline.onEvent(event);
                            c.listeners.forEach(l -> l.onEvent(event));
                        })
                        .withAuthMethod(credentials.method());
                c.timeline.start();
                try {
                    c.connection = server.connect(options, credentials, c.platform);
                } catch (ClientException e) {
                    c.failure = e.reason() + ": " + e.getMessage();
                } catch (Exception e) {
                    c.failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                return null;
            }));
        }
        goAt[0] = System.nanoTime();
        go.countDown();
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a connector failed outside connect: " + e.getCause(), e.getCause());
            }
        }
        wallNanos = System.nanoTime() - goAt[0];
        pool.shutdown();
    }

    /** Disconnects every connected client, {@code threads} at a time; each close is timed. */
    public void closeAll(int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), named(name + "-close"));
        for (Client c : clients) {
            Connection conn = c.connection;
            if (conn == null) {
                continue;
            }
            pool.execute(() -> {
                long t0 = System.nanoTime();
                conn.close();
                c.closeNanos = System.nanoTime() - t0;
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("closing the " + name + " clients took more than 10 minutes");
        }
    }

    public int connected() {
        return (int) clients.stream().filter(c -> c.connection != null).count();
    }

    int active() {
        return (int) clients.stream().filter(Client::active).count();
    }

    /** The failures grouped by their text, most frequent first. */
    public Map<String, Integer> failures() {
        Map<String, Integer> byText = new TreeMap<>();
        for (Client c : clients) {
            if (c.failure != null) {
                String text = c.failure.length() > 240 ? c.failure.substring(0, 240) + "..." : c.failure;
                byText.merge(text.replaceAll("[0-9a-f]{8,}", "…"), 1, Integer::sum);
            }
        }
        return byText;
    }

    public int failureCount() {
        return (int) clients.stream().filter(c -> c.failure != null).count();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

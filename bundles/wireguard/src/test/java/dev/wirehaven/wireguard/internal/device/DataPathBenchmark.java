package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.internal.crypto.TransportCiphers;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One-way packet rate through two in-process devices (seal on A, open on B; no kernel I/O), to
 * compare pipeline choices. Not a test: run by hand, e.g.
 * {@code java -cp <test classpath> ...DataPathBenchmark [cryptoWorkers] [seconds] [payload]}.
 */
public final class DataPathBenchmark {

    private DataPathBenchmark() {}

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0
                ? Integer.parseInt(args[0])
                : Runtime.getRuntime().availableProcessors();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 1392;
        try (DevicePair pair =
                new DevicePair(Clock.SYSTEM, true, DeviceOptions.defaults().withCryptoWorkers(workers))) {
            byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", payload, 1);
            pair.tunA.inject(p);
            pair.tunB.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            AtomicBoolean run = new AtomicBoolean(true);
            Thread pump = new Thread(() -> {
                try {
                    while (run.get()) {
                        pair.tunA.inject(p);
                    }
                } catch (Exception e) {
                    run.set(false);
                }
            });
            pump.setDaemon(true);
            pump.start();
            byte[] buf = new byte[2048];
            long warm = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warm) {
                pair.tunB.take(buf, 0, buf.length);
            }
            long n = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                pair.tunB.take(buf, 0, buf.length);
                n++;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            run.set(false);
            System.out.printf(
                    "aead=%s workers=%d payload=%d: %.0f pps, %.2f Gbit/s of IP packets; drops A=%s B=%s%n",
                    TransportCiphers.create().name(),
                    workers,
                    payload,
                    n / secs,
                    n * (p.length) * 8 / secs / 1e9,
                    pair.a.snapshot().drops().entrySet().stream()
                            .filter(e -> e.getValue() > 0)
                            .toList(),
                    pair.b.snapshot().drops().entrySet().stream()
                            .filter(e -> e.getValue() > 0)
                            .toList());
        }
    }
}

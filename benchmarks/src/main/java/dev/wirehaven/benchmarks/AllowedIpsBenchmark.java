package dev.wirehaven.benchmarks;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.internal.allowedips.AllowedIps;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cryptokey-routing lookups as the packet path makes them: an address read from a packet buffer. A
 * server-like table: {@code peers} peers, each with one IPv4 /32 and one IPv6 /128 inside a VPN subnet,
 * plus a few wider routes; lookups cycle through a precomputed set of mostly-hitting addresses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AllowedIpsBenchmark {

    private static final int PACKETS = 4096;

    @Param({"10", "1000", "10000"})
    public int peers;

    private AllowedIps<Integer> table;
    private byte[] packets4;
    private byte[] packets6;

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup
    public void setup() throws UnknownHostException {
        table = new AllowedIps<>();
        table.insert(Cidr.parse("0.0.0.0/0"), -1);
        table.insert(Cidr.parse("10.0.0.0/8"), -2);
        table.insert(Cidr.parse("::/0"), -1);
        table.insert(Cidr.parse("fd00::/8"), -2);
        for (int p = 0; p < peers; p++) {
            table.insert(new Cidr(v4(p), 32), p);
            table.insert(new Cidr(v6(p), 128), p);
        }
        // 20-byte slots with the address at offset 16, as in an IPv4 header's destination
        SplittableRandom r = new SplittableRandom(7);
        packets4 = new byte[PACKETS * 20];
        packets6 = new byte[PACKETS * 40];
        for (int i = 0; i < PACKETS; i++) {
            int p = r.nextInt(peers + peers / 10 + 1); // ~9% miss the peers and fall to a wider route
            System.arraycopy(v4(p).getAddress(), 0, packets4, i * 20 + 16, 4);
            System.arraycopy(v6(p).getAddress(), 0, packets6, i * 40 + 24, 16);
        }
    }

    private static InetAddress v4(int p) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (p >>> 16), (byte) (p >>> 8), (byte) p});
    }

    private static InetAddress v6(int p) throws UnknownHostException {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[1] = 0x42;
        a[13] = (byte) (p >>> 16);
        a[14] = (byte) (p >>> 8);
        a[15] = (byte) p;
        return InetAddress.getByAddress(a);
    }

    @Benchmark
    public Integer lookupIpv4(Cursor c) {
        int i = c.next++ & (PACKETS - 1);
        return table.lookup(packets4, i * 20 + 16, false);
    }

    @Benchmark
    public Integer lookupIpv6(Cursor c) {
        int i = c.next++ & (PACKETS - 1);
        return table.lookup(packets6, i * 40 + 24, true);
    }
}

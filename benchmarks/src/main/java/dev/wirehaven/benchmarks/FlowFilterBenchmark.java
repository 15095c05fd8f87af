package dev.wirehaven.benchmarks;

import dev.wirehaven.benchmarks.tunnel.FilteredTunnel;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.internal.filter.FlowFilter;
import dev.wirehaven.wireguard.internal.filter.PacketFlow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The access-control filter's cost per packet ({@code FlowFilter.admit}) with the rules of the tunnel
 * benchmark's case e ({@link FilteredTunnel#filter}: {@code rules - 1} that never match, then the one
 * that allows the tunnel subnet), on the headers of an iperf3 TCP flow from 10.232.0.1 to 10.232.0.2:5201:
 *
 * <ul>
 *   <li>{@code parseOnly}: reading the packet's flow, the part every filtered packet pays first;
 *   <li>{@code established}: a data packet of the open flow (parse, hash lookup under the table's
 *       monitor, last-seen store), what nearly every packet of a throughput test costs;
 *   <li>{@code contended}: the same with the send path (data) and the receive path (ACKs) of one peer
 *       on two threads, which share the table's monitor as the TUN reader and the receive drain do;
 *   <li>{@code newFlowWalksAllRules}: the first packet of a flow that no rule matches (toward
 *       10.99.0.1:80): parse, lookup, all the rules, default deny; never inserted, so every call pays
 *       the walk that an allowed new flow pays once.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlowFilterBenchmark {

    private static final int MTU = 1420;

    @Param({"1", "100", "1000"})
    public int rules;

    private FlowFilter filter;
    private byte[] data;
    private byte[] ack;
    private byte[] unmatched;

    /** One parse buffer per thread, as each pooled packet buffer has its own. */
    @State(Scope.Thread)
    public static class Scratch {
        final PacketFlow flow = new PacketFlow();
    }

    @Setup
    public void setup() {
        filter = new FlowFilter(
                FilteredTunnel.filter(rules, Cidr.parse("10.232.0.0/24")), DeviceOptions.DEFAULT_FLOWS_PER_PEER, 42);
        data = tcp(MTU, new byte[] {10, (byte) 232, 0, 1}, 40000, new byte[] {10, (byte) 232, 0, 2}, 5201);
        ack = tcp(52, new byte[] {10, (byte) 232, 0, 2}, 5201, new byte[] {10, (byte) 232, 0, 1}, 40000);
        unmatched = tcp(60, new byte[] {10, (byte) 232, 0, 1}, 40001, new byte[] {10, 99, 0, 1}, 80);
        PacketFlow f = new PacketFlow();
        // A's send path opens the flow toward its peer (toPeer rules), as iperf3's connect does
        if (!filter.admit(data, 0, data.length, f, false, System.nanoTime())) {
            throw new IllegalStateException("the benchmark flow is not allowed");
        }
        if (filter.admit(unmatched, 0, unmatched.length, f, false, System.nanoTime())) {
            throw new IllegalStateException("the unmatched flow is allowed");
        }
    }

    @Benchmark
    public boolean parseOnly(Scratch s) {
        return s.flow.parse(data, 0, data.length);
    }

    @Benchmark
    public boolean established(Scratch s) {
        return filter.admit(data, 0, data.length, s.flow, false, System.nanoTime());
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public boolean contendedSend(Scratch s) {
        return filter.admit(data, 0, data.length, s.flow, false, System.nanoTime());
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public boolean contendedReceive(Scratch s) {
        return filter.admit(ack, 0, ack.length, s.flow, true, System.nanoTime());
    }

    @Benchmark
    public boolean newFlowWalksAllRules(Scratch s) {
        return filter.admit(unmatched, 0, unmatched.length, s.flow, false, System.nanoTime());
    }

    /** An IPv4 TCP segment of {@code length} bytes (20-byte IP and TCP headers, ACK set). */
    private static byte[] tcp(int length, byte[] src, int srcPort, byte[] dst, int dstPort) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        p[6] = 0x40; // don't fragment
        p[8] = 64;
        p[9] = 6;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        p[20] = (byte) (srcPort >>> 8);
        p[21] = (byte) srcPort;
        p[22] = (byte) (dstPort >>> 8);
        p[23] = (byte) dstPort;
        p[32] = 0x50; // data offset 5
        p[33] = 0x10; // ACK
        return p;
    }
}

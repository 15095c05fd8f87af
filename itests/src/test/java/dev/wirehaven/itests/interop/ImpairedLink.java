package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay that loses and reorders datagrams, run as its own program in a namespace: the stand-in
 * for {@code tc qdisc ... netem loss .. reorder ..}, which this test machine's kernel lacks
 * (no sch_netem). Each direction has its own thread and seeded generator:
 * <ul>
 * <li>loss: each datagram is dropped with probability {@code loss-per-mille}/1000;</li>
 * <li>reordering: with probability {@code reorder-per-mille}/1000 a datagram is held back and sent
 * after the next 1 to 3 datagrams of its direction (or after 2 ms if none come).</li>
 * </ul>
 *
 * <pre>
 * ImpairedLink &lt;outer-address&gt; &lt;outer-port&gt; &lt;inner-address&gt; &lt;inner-port&gt; &lt;target-port&gt;
 *              &lt;loss-per-mille&gt; &lt;reorder-per-mille&gt; &lt;seed&gt; &lt;stop-file&gt;
 * </pre>
 * Datagrams to outer-address:outer-port go to inner-address:target-port from inner-port; the answers
 * go back to the last outer sender. Prints {@code relaying} when ready and, when the stop file
 * appears, {@code forwarded=.. lost=.. reordered=..} per direction.
 */
public final class ImpairedLink {

    private ImpairedLink() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress outer = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        InetSocketAddress inner = new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[4]));
        int loss = Integer.parseInt(args[5]);
        int reorder = Integer.parseInt(args[6]);
        long seed = Long.parseLong(args[7]);
        Path stop = Path.of(args[8]);
        try (DatagramChannel outside = DatagramChannel.open();
                DatagramChannel inside = DatagramChannel.open()) {
            outside.bind(outer);
            inside.bind(inner);
            for (DatagramChannel c : new DatagramChannel[] {outside, inside}) {
                c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
                c.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 8 << 20);
            }
            Direction in = new Direction("in", outside, inside, loss, reorder, seed);
            Direction out = new Direction("out", inside, outside, loss, reorder, seed * 31 + 7);
            in.fixedTarget = target;
            out.answersSource = in;
            Thread a = new Thread(in, "in");
            Thread b = new Thread(out, "out");
            a.setDaemon(true);
            b.setDaemon(true);
            a.start();
            b.start();
            System.out.println("relaying");
            System.out.flush();
            while (!Files.exists(stop)) {
                Thread.sleep(200);
            }
            System.out.println(in.summary() + " " + out.summary());
            System.out.flush();
        }
    }

    /** One direction: receive, maybe lose, maybe hold back, send. */
    private static final class Direction implements Runnable {

        private final String name;
        private final DatagramChannel from;
        private final DatagramChannel to;
        private final int loss;
        private final int reorder;
        private final SplittableRandom random;
        private final AtomicLong forwarded = new AtomicLong();
        private final AtomicLong lost = new AtomicLong();
        private final AtomicLong reordered = new AtomicLong();
        /** Where this direction sends: fixed (toward the device under test) or the last sender of the other. */
        volatile InetSocketAddress fixedTarget;

        volatile SocketAddress lastSender;
        /** For the way back: the direction whose last sender the answers go to. */
        Direction answersSource;

        private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();
        private int releaseAfter;
        private long heldSince;

        Direction(String name, DatagramChannel from, DatagramChannel to, int loss, int reorder, long seed) {
            this.name = name;
            this.from = from;
            this.to = to;
            this.loss = loss;
            this.reorder = reorder;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
            try {
                from.configureBlocking(true);
                while (true) {
                    buf.clear();
                    SocketAddress sender = from.receive(buf);
                    lastSender = sender;
                    buf.flip();
                    SocketAddress target = fixedTarget != null ? fixedTarget : backTo();
                    if (target == null || random.nextInt(1000) < loss) {
                        lost.incrementAndGet();
                        continue;
                    }
                    if (held.isEmpty() && random.nextInt(1000) < reorder) {
                        ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
                        copy.put(buf).flip();
                        held.add(copy);
                        releaseAfter = 1 + random.nextInt(3);
                        heldSince = System.nanoTime();
                        continue;
                    }
                    to.send(buf, target);
                    forwarded.incrementAndGet();
                    if (!held.isEmpty() && (--releaseAfter == 0 || System.nanoTime() - heldSince > 2_000_000)) {
                        to.send(held.poll(), target);
                        forwarded.incrementAndGet();
                        reordered.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                System.out.println(name + " stopped: " + e);
            }
        }

        /** The answers go to whoever last sent from outside. */
        private SocketAddress backTo() {
            return answersSource == null ? null : answersSource.lastSender;
        }

        String summary() {
            return name + ".forwarded=" + forwarded.get() + " " + name + ".lost=" + lost.get() + " " + name
                    + ".reordered=" + reordered.get();
        }
    }
}

package dev.wirehaven.benchmarks.cluster;

import dev.wirehaven.benchmarks.sessions.LoadBatch.Client;
import dev.wirehaven.tun.testing.MemoryTun;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One client's continuous probe through its tunnel: an ICMP echo request to {@code target} every
 * interval, written into the client's in-memory TUN (so the client's own WireGuard device carries it
 * to whichever gateway it uses now), and the time each answer came back. The gap of a failover is
 * read from those times: the last answer before the gateway died to the first answer after.
 *
 * <p>The TUN is looked up again for every packet: a client that had to start a new session opens a
 * new one (a failover without a new login keeps it).
 */
final class TunnelProbe {

    private final Client client;
    private final Inet4Address source;
    private final Inet4Address target;
    private final Duration interval;
    /** ICMP identifier: the client's index, so that a stray answer for another client is never counted. */
    private final int identifier;
    /** System.nanoTime() of each answer, in the order they came. */
    private final List<Long> answers = new ArrayList<>();

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong notQueued = new AtomicLong();
    private volatile boolean running = true;
    private Thread sender;
    private Thread receiver;

    TunnelProbe(Client client, Inet4Address source, Inet4Address target, Duration interval) {
        this.client = client;
        this.source = source;
        this.target = target;
        this.interval = interval;
        this.identifier = client.index & 0xffff;
    }

    void start() {
        sender = daemon("probe-send-" + client.index, this::send);
        receiver = daemon("probe-receive-" + client.index, this::receive);
        sender.start();
        receiver.start();
    }

    void stop() throws InterruptedException {
        running = false;
        sender.join(5000);
        receiver.join(5000);
    }

    Client client() {
        return client;
    }

    Inet4Address source() {
        return source;
    }

    long sent() {
        return sent.get();
    }

    /** Requests the TUN's queue did not take (it was full: the device did not read them). */
    long notQueued() {
        return notQueued.get();
    }

    synchronized int answered() {
        return answers.size();
    }

    /** Answers that came at or after {@code nanos}. */
    synchronized int answeredSince(long nanos) {
        return (int) answers.stream().filter(t -> t >= nanos).count();
    }

    /**
     * The outage around {@code killedAt}: the longest silence between two consecutive answers of which
     * the later one came at or after {@code killedAt}, in nanoseconds; -1 if the answers had not resumed
     * by {@code end} (no answer in the last {@code recent} nanoseconds before it). Answers to probes that
     * were on their way when the node died (a few ms after the kill) do not end the outage; the first
     * answer after the silence, through the node the client moved to, does.
     */
    synchronized long outage(long killedAt, long end, long recent) {
        if (answers.isEmpty() || answers.get(answers.size() - 1) < end - recent) {
            return -1;
        }
        long longest = -1;
        for (int i = 1; i < answers.size(); i++) {
            if (answers.get(i) >= killedAt) {
                longest = Math.max(longest, answers.get(i) - answers.get(i - 1));
            }
        }
        return longest;
    }

    /**
     * The longest silence in the window {@code [from, to]}, in nanoseconds: the longest time between two
     * consecutive answers of which the later one came in the window, or from the last answer to
     * {@code to} when none came after it; -1 if no answer came before {@code to} at all. A silence that
     * began before {@code from} counts whole (it is the same outage); answers after {@code to} are not
     * looked at. Unlike {@link #outage} the tunnel is expected to stay up, so every silence counts, not
     * one that ends.
     */
    synchronized long longestSilence(long from, long to) {
        long longest = -1;
        Long previous = null;
        for (long answer : answers) {
            if (answer > to) {
                break;
            }
            if (previous != null && answer >= from) {
                longest = Math.max(longest, answer - previous);
            }
            previous = answer;
        }
        return previous == null ? -1 : Math.max(longest, to - previous);
    }

    /**
     * Lets started probes run before a fault: at least {@code warmup} of steady traffic and 20 answers of
     * each, but no more than that plus 15 s (see {@code ClusterSettings.probeWarmup}).
     *
     * @return the probes that got an answer at all
     */
    static List<TunnelProbe> warmUp(List<TunnelProbe> probes, Duration warmup) throws InterruptedException {
        long warmUntil = System.nanoTime() + warmup.toNanos();
        long giveUp = warmUntil + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < giveUp
                && (System.nanoTime() < warmUntil || probes.stream().anyMatch(p -> p.answered() < 20))) {
            Thread.sleep(100);
        }
        return probes.stream().filter(p -> p.answered() > 0).toList();
    }

    private void send() {
        int sequence = 0;
        long next = System.nanoTime();
        while (running) {
            MemoryTun tun = client.platform.tun();
            if (tun != null && !tun.isClosed()) {
                sequence = (sequence + 1) & 0xffff;
                byte[] request = IcmpEcho.request(source, target, identifier, sequence, System.nanoTime());
                try {
                    if (tun.tryInject(request, 0, request.length)) {
                        sent.incrementAndGet();
                    } else {
                        notQueued.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the tunnel went down between the look-up and the write: the next round looks again
                }
            }
            next += interval.toNanos();
            for (long left = next - System.nanoTime(); left > 0 && running; left = next - System.nanoTime()) {
                LockSupport.parkNanos(Math.min(left, 50_000_000L));
            }
        }
    }

    private void receive() {
        while (running) {
            MemoryTun tun = client.platform.tun();
            if (tun == null) {
                LockSupport.parkNanos(10_000_000L);
                continue;
            }
            byte[] packet;
            try {
                packet = tun.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (packet == null) {
                if (tun.isClosed()) {
                    LockSupport.parkNanos(10_000_000L);
                }
                continue;
            }
            long now = System.nanoTime();
            if (IcmpEcho.replySequence(packet, packet.length, identifier) >= 0) {
                synchronized (this) {
                    answers.add(now);
                }
            }
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

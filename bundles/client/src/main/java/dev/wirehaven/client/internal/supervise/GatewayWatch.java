package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notices within about three seconds that the gateway stopped answering while the client sends, so
 * that a {@link Failover} can move the tunnel to another gateway of the cluster before a person
 * notices. It watches only while the server names other gateways (a single node keeps the slower
 * detection of {@link Heartbeat}: there is nowhere to move to); else it looks for a list every
 * {@link #IDLE_TICK}.
 *
 * <p>Every {@link #TICK} it reads the server peer's counters, which costs a snapshot of the device and
 * nothing on the wire. While something comes back (any bytes, or a completed handshake) all is well. When
 * the client sent packets and nothing came back for {@link #SILENCE} since the first of them, the gateway may be gone, or the
 * traffic may just be one-way (a UDP upload; WireGuard answers data with a keepalive only after 10 s): so it
 * probes, with a fresh handshake ({@link ClientTunnel#replaceServer} with the same key, which drops the
 * current keypair; what the client sends meanwhile waits for the handshake, one round trip). A gateway that
 * lives answers within a round trip; one that does not answer within {@link #PROBE_WAIT} is lost. After an
 * answered probe the next waits {@link #PROBE_SPACING}, so a one-way flow costs one handshake per 10 s and
 * is detected within about 12 s. An idle client sends nothing, so nothing is lost yet: its loss shows in
 * the next status report.
 *
 * <p>Lane only, like the {@link Heartbeat}: each tick schedules the next; {@link #stop()} (at a loss or the
 * close) ends the chain by its generation.
 */
final class GatewayWatch {

    static final Duration TICK = Duration.ofMillis(500);
    /** While no other gateway is named (a single node), only a look every few seconds for a list. */
    static final Duration IDLE_TICK = Duration.ofSeconds(5);

    static final Duration SILENCE = Duration.ofMillis(1500);
    static final Duration PROBE_WAIT = Duration.ofSeconds(1);
    static final Duration PROBE_SPACING = Duration.ofSeconds(10);

    private final Link link;
    private final Lane lane;
    private final Timebase time;
    private final Events events;
    private final Lifecycle lifecycle;
    private final AtomicLong generation = new AtomicLong();

    // what the last tick saw: lane only, so the lane's lock orders them; volatile only so that no
    // 64-bit write can tear, as for the other state that the lane's steps hand on to each other
    private volatile long rx;
    private volatile long txPackets;
    private volatile long handshake;
    private volatile long answeredAt;
    private volatile boolean sent;
    /**
     * When the first packet went out that nothing answered yet. The silence is counted from here, not
     * from the last answer: a tunnel that was idle for a minute and starts sending has not been
     * unanswered for a minute, and probing it at once would spend the probe (and its spacing) on a
     * gateway that is fine, so that one dying right after would be found only a probe spacing later.
     */
    private volatile long sentAt;

    private volatile long probeAt = -1;
    private volatile long nextProbe;

    GatewayWatch(Link link, Lane lane, Timebase time, Events events, Lifecycle lifecycle) {
        this.link = link;
        this.lane = lane;
        this.time = time;
        this.events = events;
        this.lifecycle = lifecycle;
    }

    /** Watches the tunnel of an active connection, from what its counters say now. */
    void start() {
        long g = generation.incrementAndGet();
        baseline();
        probeAt = -1;
        nextProbe = answeredAt;
        lane.schedule(() -> tick(g), TICK);
    }

    /** Ends the watch of this activation (lost or closing). */
    void stop() {
        generation.incrementAndGet();
    }

    private void tick(long g) {
        if (g != generation.get()) {
            return;
        }
        if (link.alternatives().isEmpty()) {
            baseline();
            probeAt = -1;
            lane.schedule(() -> tick(g), IDLE_TICK);
            return;
        }
        ClientTunnel t = link.tunnel();
        PeerSnapshot p = t == null ? null : t.server().orElse(null);
        if (p == null) {
            return;
        }
        long now = time.nanoTime();
        if (p.rxBytes() != rx || p.lastHandshakeEpochNanos() != handshake) {
            answeredAt = now;
            sent = false;
            if (probeAt >= 0) {
                probeAt = -1;
                nextProbe = now + PROBE_SPACING.toNanos();
            }
        } else if (p.txPackets() != txPackets && !sent) {
            sent = true;
            sentAt = now;
        }
        rx = p.rxBytes();
        handshake = p.lastHandshakeEpochNanos();
        txPackets = p.txPackets();
        if (probeAt >= 0 && now - probeAt >= PROBE_WAIT.toNanos()) {
            lifecycle.unreachable(
                    "gateway " + link.gatewayName() + " (" + link.endpoint() + ") stopped answering: nothing came back"
                            + " for " + (now - sentAt) / 1_000_000 + " ms while this client sent, and a fresh"
                            + " handshake went unanswered for " + PROBE_WAIT.toMillis() + " ms");
            return;
        }
        if (probeAt < 0 && sent && now - sentAt >= SILENCE.toNanos() && now - nextProbe >= 0) {
            probe(t, p, now);
        }
        lane.schedule(() -> tick(g), TICK);
    }

    private void probe(ClientTunnel t, PeerSnapshot p, long now) {
        InetSocketAddress at = p.endpoint() != null ? p.endpoint() : link.endpointAddress();
        try {
            synchronized (link.tunnelLock) {
                if (link.closing()) {
                    return;
                }
                t.replaceServer(p.publicKey(), at);
                t.kickHandshake();
            }
            long quietSince = answeredAt;
            long unansweredSince = sentAt;
            baseline(); // the new peer's counters start at zero
            answeredAt = quietSince; // but the silence goes on
            sent = true;
            sentAt = unansweredSince;
            probeAt = now;
        } catch (IOException e) {
            events.warning("Could not probe gateway " + link.gatewayName() + ": " + e.getMessage());
        }
    }

    /** The counters now; the gateway counts as having answered just now. */
    private void baseline() {
        ClientTunnel t = link.tunnel();
        PeerSnapshot p = t == null ? null : t.server().orElse(null);
        rx = p == null ? 0 : p.rxBytes();
        txPackets = p == null ? 0 : p.txPackets();
        handshake = p == null ? 0 : p.lastHandshakeEpochNanos();
        answeredAt = time.nanoTime();
        sent = false;
    }
}

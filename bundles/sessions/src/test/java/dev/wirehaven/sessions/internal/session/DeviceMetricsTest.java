package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.sessions.internal.store.EventLogRepository;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.HandshakeStats;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's own measurements reach the sinks: what the device counted for each session's peer (not
 * what a client reports), the open sessions by phase and the drops by reason, with the kind each is.
 */
class DeviceMetricsTest {

    private final FlowFixture fx;

    DeviceMetricsTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aSessionsPeerCountersComeFromTheDeviceAsCountersTaggedWithItsUserAndSession() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(alice);
        long received = fx.peer(alice.publicKey()).orElseThrow().rxBytes();
        assertTrue(received > 0, "the handshake counts as received bytes");

        fx.runtime.sampleMetricsNow();

        MetricSample bytes = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("peer.bytes.received")
                        && alice.sessionId().equals(m.tags().get("session")));
        assertEquals((double) received, bytes.value());
        assertEquals(MetricSample.Kind.COUNTER, bytes.kind());
        assertEquals("alice", bytes.tags().get("user"));
        MetricSample age = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("peer.handshake.age")
                        && alice.sessionId().equals(m.tags().get("session")));
        assertEquals(MetricSample.Kind.GAUGE, age.kind());
        assertTrue(age.value() >= 0, "a handshake age is never negative: " + age);
    }

    @Test
    void openSessionsAreCountedByPhaseWithEmptyPhasesAtZero() throws Exception {
        fx.configured("alice", "correct horse", "laptop");
        fx.configured("bob", "battery staple", "laptop");

        fx.runtime.sampleMetricsNow();

        MetricSample configured = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("sessions") && "configured".equals(m.tags().get("phase")));
        assertEquals(2, configured.value());
        MetricSample challenged = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("sessions") && "challenged".equals(m.tags().get("phase")));
        assertEquals(0, challenged.value());
        assertEquals(MetricSample.Kind.GAUGE, configured.kind());
    }

    @Test
    void deniedDestinationsAndRateLimitedSourcesBecomeCountersForTheDetectors() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        Key aliceKey = alice.publicKey();
        InetAddress flooder = InetAddress.getByName("203.0.113.9");
        // the device as it is, plus what a scan and a handshake flood would have made it count
        WireGuardDevice scanned =
                counting(p -> p.publicKey().equals(aliceKey) ? with(p, 37, 0) : p, Map.of(flooder, 120L));
        DeviceMetrics metrics = new DeviceMetrics(
                new SessionRepository(fx.db.dataSource()),
                new PeerTable(scanned),
                new FlowEvents(new EventLogRepository(fx.db.dataSource()), fx.monitor, fx.clock),
                fx.clock);

        metrics.sample();

        MetricSample denied = fx.sink.await(fx.sink.metrics, m -> m.name().equals("policy.denied.destinations"));
        assertEquals(37, denied.value());
        assertEquals(MetricSample.Kind.COUNTER, denied.kind());
        assertEquals(alice.sessionId(), denied.tags().get("session"));
        assertEquals("alice", denied.tags().get("user"));
        MetricSample flood = fx.sink.await(fx.sink.metrics, m -> m.name().equals("handshake.rate-limited"));
        assertEquals(120, flood.value());
        assertEquals("203.0.113.9", flood.tags().get("source"));
        assertEquals("wg0", flood.tags().get("interface"));
    }

    @Test
    void completedHandshakesAndTheirMeanLatencyComeFromTheDevice() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(alice);
        long completed = fx.device.snapshot().handshakes().completed();
        assertTrue(completed >= 1, "the device counted the handshake");

        fx.runtime.sampleMetricsNow();

        MetricSample count = fx.sink.await(fx.sink.metrics, m -> m.name().equals("handshakes"));
        assertEquals(MetricSample.Kind.COUNTER, count.kind());
        assertEquals((double) completed, count.value());
        MetricSample latency = fx.sink.await(fx.sink.metrics, m -> m.name().equals("handshake.latency"));
        assertEquals(MetricSample.Kind.GAUGE, latency.kind());
        assertEquals(
                fx.device.snapshot().handshakes().latencyAverageNanos() / 1e9,
                latency.value(),
                1e-9,
                "the mean of the handshakes since the last sample: here all of them");
        MetricSample durations = fx.sink.await(fx.sink.metrics, m -> m.name().equals("handshake.duration"));
        assertEquals(MetricSample.Kind.HISTOGRAM, durations.kind());
        assertEquals("seconds", durations.unit());
        assertEquals(
                (double) fx.device.snapshot().handshakes().latencyCount(),
                durations.value(),
                "every measured handshake is in the histogram");
    }

    @Test
    void theDevicesLatencyBucketsBecomeCumulativeBucketsInSeconds() {
        // one handshake of 3 ms, two of 40 ms, one of 9 s; the device counts each bucket on its own
        List<Long> bounds = HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS;
        List<Long> own = new java.util.ArrayList<>(bounds.stream().map(b -> 0L).toList());
        own.set(bounds.indexOf(5_000_000L), 1L);
        own.set(bounds.indexOf(50_000_000L), 2L);
        own.set(bounds.size() - 1, 1L);
        HandshakeStats stats = new HandshakeStats(4, 4, 9_083_000_000L, bounds, own);

        MetricSample.Buckets b = DeviceMetrics.durations(stats);

        assertEquals(0.005, b.upperBounds().get(1), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, b.upperBounds().get(bounds.size() - 1));
        assertEquals(0L, b.cumulativeCounts().get(0));
        assertEquals(1L, b.cumulativeCounts().get(1));
        assertEquals(3L, b.cumulativeCounts().get(bounds.indexOf(50_000_000L)));
        assertEquals(3L, b.cumulativeCounts().get(bounds.indexOf(5_000_000_000L)));
        assertEquals(4L, b.count());
        assertEquals(9.083, b.sum(), 1e-9);
    }

    @Test
    void theProvidersAnswersAreCountedByProviderMethodAndOutcome() throws Exception {
        fx.configured("alice", "correct horse", "laptop");
        String wrong = fx.requestFrom(FlowFixture.SOURCE).sessionId();
        try {
            fx.authenticate(wrong, "alice", "not her password");
        } catch (dev.wirehaven.sessions.spi.FlowException expected) {
            // the failure is what is counted
        }

        fx.runtime.sampleMetricsNow();

        MetricSample success = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("auth.results")
                        && "success".equals(m.tags().get("outcome")));
        MetricSample failure = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("auth.results")
                        && "failure".equals(m.tags().get("outcome")));
        assertEquals(1, success.value());
        assertEquals(1, failure.value());
        assertEquals("password", failure.tags().get("method"));
        assertEquals(success.tags().get("provider"), failure.tags().get("provider"));
        assertEquals(MetricSample.Kind.COUNTER, failure.kind());
    }

    @Test
    void trafficIsTotalledPerInterfaceAndPerUserFromTheDevice() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(alice);

        fx.runtime.sampleMetricsNow();

        long received = fx.device.snapshot().peers().stream()
                .mapToLong(p -> p.rxBytes())
                .sum();
        MetricSample iface = fx.sink.await(fx.sink.metrics, m -> m.name().equals("interface.bytes.received"));
        assertEquals(MetricSample.Kind.COUNTER, iface.kind());
        assertEquals((double) received, iface.value(), "the handshake's bytes, the only traffic yet");
        MetricSample user = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("user.bytes.received")
                        && "alice".equals(m.tags().get("user")));
        assertEquals((double) received, user.value(), "alice's session is the only peer");
    }

    @Test
    void theFlowsThePolicyAllowedAreCountedUnderTheRuleThatAllowedThem() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        Key aliceKey = alice.publicKey();
        WireGuardDevice allowing = counting(
                p -> p.publicKey().equals(aliceKey) ? with(p, 0, 0, Map.of("acl:ssh", 4L, "acl:dns", 9L)) : p,
                Map.of());
        DeviceMetrics metrics = new DeviceMetrics(
                new SessionRepository(fx.db.dataSource()),
                new PeerTable(allowing),
                new FlowEvents(new EventLogRepository(fx.db.dataSource()), fx.monitor, fx.clock),
                fx.clock);

        metrics.sample();

        MetricSample ssh = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("policy.allowed.flows")
                        && "acl:ssh".equals(m.tags().get("rule")));
        MetricSample dns = fx.sink.await(
                fx.sink.metrics,
                m -> m.name().equals("policy.allowed.flows")
                        && "acl:dns".equals(m.tags().get("rule")));
        assertEquals(4, ssh.value());
        assertEquals(9, dns.value());
        assertEquals(MetricSample.Kind.COUNTER, ssh.kind());
        assertEquals("alice", ssh.tags().get("user"));
        assertEquals(alice.sessionId(), ssh.tags().get("session"));
    }

    @Test
    void aClientSendingFromAddressesItWasNotGivenIsASecurityEventOncePerIncrease() throws Exception {
        FlowFixture.Client alice = fx.configured("alice", "correct horse", "laptop");
        Key aliceKey = alice.publicKey();
        long[] spoofed = {3};
        WireGuardDevice spoofing = counting(p -> p.publicKey().equals(aliceKey) ? with(p, 0, spoofed[0]) : p, Map.of());
        DeviceMetrics metrics = new DeviceMetrics(
                new SessionRepository(fx.db.dataSource()),
                new PeerTable(spoofing),
                new FlowEvents(new EventLogRepository(fx.db.dataSource()), fx.monitor, fx.clock),
                fx.clock);

        metrics.sample();
        metrics.sample(); // nothing new: no second event
        spoofed[0] = 5;
        metrics.sample();

        fx.sink.await(fx.sink.securityEvents, e -> e.detail().startsWith("2 packets"));
        List<SecurityEvent> events = fx.sink.securityEvents.stream()
                .filter(e -> e.type().equals(SecurityEvent.SPOOFED_SOURCE))
                .toList();
        assertEquals(2, events.size(), events.toString());
        assertEquals("alice", events.get(0).user());
        assertEquals(Severity.HIGH, events.get(0).severity());
        assertTrue(
                events.get(0).detail().startsWith("3 packets of session " + alice.sessionId()),
                events.get(0).detail());
    }

    /**
     * The fixture's device as it is, with its peers changed by {@code change} and these rate-limited
     * sources: what a scan, a spoofing client or a handshake flood would have made it count.
     */
    private WireGuardDevice counting(UnaryOperator<PeerSnapshot> change, Map<InetAddress, Long> rateLimited) {
        return new WireGuardDevice() {
            @Override
            public String name() {
                return fx.device.name();
            }

            @Override
            public void configure(ConfigTransaction transaction) throws ConfigException {
                fx.device.configure(transaction);
            }

            @Override
            public DeviceSnapshot snapshot() {
                DeviceSnapshot d = fx.device.snapshot();
                return new DeviceSnapshot(
                        d.privateKey(),
                        d.listenPort(),
                        d.fwmark(),
                        d.peers().stream().map(change).toList(),
                        d.drops(),
                        d.blockedSources(),
                        rateLimited);
            }

            @Override
            public void close() {}
        };
    }

    /** {@code p} with these counts of denied destinations and of packets from addresses it was not given. */
    private static PeerSnapshot with(PeerSnapshot p, long deniedDestinations, long spoofedPackets) {
        return with(p, deniedDestinations, spoofedPackets, p.allowedFlowsByRule());
    }

    private static PeerSnapshot with(
            PeerSnapshot p, long deniedDestinations, long spoofedPackets, Map<String, Long> allowedFlows) {
        return new PeerSnapshot(
                p.publicKey(),
                p.presharedKey(),
                p.endpoint(),
                p.persistentKeepaliveSeconds(),
                p.allowedIps(),
                p.lastHandshakeEpochNanos(),
                p.rxBytes(),
                p.txBytes(),
                p.owner(),
                p.rxPackets(),
                p.txPackets(),
                p.filtered(),
                p.openFlows(),
                p.deniedByRule(),
                deniedDestinations,
                spoofedPackets,
                allowedFlows,
                0);
    }
}

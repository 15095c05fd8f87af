package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.api.session.SessionView;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConcurrentLocationsDetectorTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final Fixture f = new Fixture();
    private final FakeDirectory directory = new FakeDirectory();

    /** The open sessions and their endpoints, as a test sets them. */
    private static final class FakeDirectory implements SessionDirectory {
        final List<SessionView> sessions = new ArrayList<>();
        final Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
        int calls;

        void open(String id, String user, String endpoint) {
            sessions.add(new SessionView(
                    id,
                    user == null ? null : new Identity(user, Set.of(), Map.of()),
                    user == null ? SessionPhase.REQUESTED : SessionPhase.ACTIVE,
                    List.of(),
                    List.of(),
                    KEY,
                    "",
                    Instant.EPOCH,
                    null,
                    0,
                    0));
            if (endpoint != null) {
                endpoints.put(id, new InetSocketAddress(Fixture.address(endpoint), 51820));
            }
        }

        void close(String id) {
            sessions.removeIf(s -> s.id().equals(id));
            endpoints.remove(id);
        }

        @Override
        public List<SessionView> sessions() {
            calls++;
            return List.copyOf(sessions);
        }

        @Override
        public Optional<SessionView> find(String sessionId) {
            return sessions.stream().filter(s -> s.id().equals(sessionId)).findFirst();
        }

        @Override
        public List<SessionView> sessionsOf(String user) {
            return sessions.stream()
                    .filter(s -> s.identity() != null && s.identity().user().equals(user))
                    .toList();
        }

        @Override
        public Map<String, InetSocketAddress> endpoints() {
            return Map.copyOf(endpoints);
        }
    }

    private ConcurrentLocationsDetector detector(Map<String, Object> config) {
        return new ConcurrentLocationsDetector(
                f.reporter, directory, TypedConfig.of(ConcurrentLocationsDetector.Config.class, config), f.clock);
    }

    /** The next check: 30 s later, on the next metric the server delivers. */
    private void check(ConcurrentLocationsDetector d) {
        f.clock.advanceSeconds(30);
        d.metric(f.counter("wirehaven.sessions", 1, Map.of()));
    }

    @Test
    void twoSessionsInOneSlash24AreOnePlaceInTwoAreTwoAndTheUserIsAskedForStepUp() {
        ConcurrentLocationsDetector d = detector(Map.of());
        directory.open("s1", "alice", "198.51.100.7");
        directory.open("s2", "alice", "198.51.100.200");
        check(d);
        assertTrue(f.events.reported.isEmpty());

        directory.open("s3", "alice", "203.0.113.9");
        check(d);

        SecurityEvent e = f.events.reported.get(0);
        assertEquals(SecurityEvent.THREAT_CONCURRENT_LOCATIONS, e.type());
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals("alice", e.user());
        assertEquals(
                "user 'alice' has open sessions from 2 networks at once: 198.51.100.0/24, 203.0.113.0/24", e.detail());
        assertEquals(ResponseAction.REQUIRE_STEP_UP, f.responses.requests.get(0).action());
        assertEquals("alice", f.responses.requests.get(0).target());
    }

    @Test
    void ipv6EndpointsAreOnePlaceWithinASlash48AndMixedFamiliesAreTwo() {
        ConcurrentLocationsDetector d = detector(Map.of());
        directory.open("s1", "bob", "2001:db8:1:1::5");
        directory.open("s2", "bob", "2001:db8:1:ffff::6");
        check(d);
        assertTrue(f.events.reported.isEmpty());

        directory.open("s3", "bob", "2001:db8:2::7");
        check(d);
        assertTrue(
                f.events.reported.get(0).detail().endsWith("2001:db8:1:0:0:0:0:0/48, 2001:db8:2:0:0:0:0:0/48"),
                f.events.reported.get(0).detail());

        directory.open("s4", "carol", "2001:db8:9::1");
        directory.open("s5", "carol", "192.0.2.1");
        check(d);
        assertEquals(2, f.events.reported.size());
        assertEquals("carol", f.events.reported.get(1).user());
    }

    @Test
    void prefixLengthsAreConfigurable() {
        ConcurrentLocationsDetector d = detector(Map.of("ipv4_prefix_length", 16));
        directory.open("s1", "alice", "198.51.1.7");
        directory.open("s2", "alice", "198.51.200.7");
        check(d);
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void aUserIsReportedOncePerSetOfNetworksAndAgainWhenANewOneJoins() {
        ConcurrentLocationsDetector d = detector(Map.of());
        directory.open("s1", "alice", "198.51.100.7");
        directory.open("s2", "alice", "203.0.113.9");
        check(d);
        check(d);
        check(d);
        assertEquals(1, f.events.reported.size());

        directory.open("s3", "alice", "192.0.2.1");
        check(d);
        assertEquals(2, f.events.reported.size());

        directory.close("s3");
        check(d);
        assertEquals(2, f.events.reported.size(), "fewer networks than reported is nothing new");

        directory.close("s2");
        check(d);
        directory.open("s4", "alice", "203.0.113.10");
        check(d);
        assertEquals(3, f.events.reported.size(), "back in one place, then spread again: a new finding");
    }

    @Test
    void theDirectoryIsAskedOnlyOncePerInterval() {
        ConcurrentLocationsDetector d = detector(Map.of());
        check(d);
        for (int i = 0; i < 100; i++) {
            f.clock.advanceSeconds(0);
            d.securityEvent(f.authFailure("x", "192.0.2.1"));
        }
        assertEquals(1, directory.calls);
        check(d);
        assertEquals(2, directory.calls);
    }

    @Test
    void sessionsWithoutIdentityOrEndpointAreLeftOut() {
        ConcurrentLocationsDetector d = detector(Map.of());
        directory.open("s1", "alice", "198.51.100.7");
        directory.open("s2", "alice", null);
        directory.open("s3", null, "203.0.113.9");
        check(d);
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void usersRememberedStayBounded() {
        ConcurrentLocationsDetector d = detector(Map.of("max_tracked_keys", 5));
        for (int i = 0; i < 50; i++) {
            directory.open("a" + i, "user" + i, "198.51.100." + i);
            directory.open("b" + i, "user" + i, "203.0.113." + i);
        }
        check(d);
        assertEquals(50, f.events.reported.size());
        assertEquals(5, d.trackedUsers());
    }

    @Test
    void aPrefixLongerThanTheAddressIsRefused() {
        ConcurrentLocationsDetector d = detector(Map.of("ipv4_prefix_length", 33));
        assertTrue(
                d.describe().contains("ipv4.prefix.length = '33' is refused: give a whole number from 1 to 32"),
                d.describe());
        assertTrue(d.describe().contains("IPv4 /24"), d.describe());
    }
}

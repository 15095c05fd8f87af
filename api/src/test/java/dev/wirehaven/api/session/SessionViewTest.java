package dev.wirehaven.api.session;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionViewTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void addressListsAreCopied() throws Exception {
        List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getByName("10.0.0.2")));
        List<IpPrefix> subnets = new ArrayList<>(List.of(IpPrefix.parse("192.168.50.0/24")));
        SessionView v = new SessionView(
                "s1",
                Identity.of("alice"),
                SessionPhase.ACTIVE,
                addresses,
                subnets,
                KEY,
                "laptop",
                Instant.EPOCH,
                null,
                0,
                0);
        addresses.clear();
        subnets.clear();
        assertEquals(1, v.tunnelAddresses().size());
        assertEquals(1, v.advertisedSubnets().size());
    }

    @Test
    void aPublicKeyThatIsNot32BytesOfBase64IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> view(SessionPhase.ACTIVE, Identity.of("a"), "not-a-key"));
        assertThrows(
                IllegalArgumentException.class,
                () -> view(
                        SessionPhase.ACTIVE,
                        Identity.of("a"),
                        Base64.getEncoder().encodeToString(new byte[31])));
    }

    @Test
    void anAuthenticatedPhaseNeedsAnIdentityButEarlierAndEndedOnesDoNot() {
        assertThrows(IllegalArgumentException.class, () -> view(SessionPhase.ACTIVE, null, KEY));
        assertDoesNotThrow(() -> view(SessionPhase.CHALLENGED, null, KEY));
        assertDoesNotThrow(() -> view(SessionPhase.EXPIRED, null, KEY));
    }

    @Test
    void onlyDisconnectedAndExpiredEndASession() {
        for (SessionPhase p : SessionPhase.values()) {
            assertEquals(p == SessionPhase.DISCONNECTED || p == SessionPhase.EXPIRED, p.isTerminal(), p.name());
        }
    }

    private static SessionView view(SessionPhase phase, Identity identity, String key) {
        return new SessionView("s1", identity, phase, List.of(), List.of(), key, "", Instant.EPOCH, null, 0, 0);
    }
}

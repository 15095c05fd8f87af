package dev.wirehaven.client.internal.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address of a name is asked for, and what counts as a literal that is sent as it is. */
class AccessRequestsTest {

    private static InetAddress ip(String literal) {
        return AccessRequests.literal(literal);
    }

    private static final List<InetAddress> TUNNEL_V4 = List.of(ip("10.8.0.2"));

    @Test
    void ofANamesAddressesTheFirstThatTheTunnelRoutesIsAskedFor() {
        List<InetAddress> candidates = List.of(ip("2001:db8::1"), ip("198.51.100.1"), ip("10.20.0.5"), ip("10.20.0.6"));

        assertEquals(
                ip("10.20.0.5"),
                AccessRequests.choose(
                        candidates, List.of(Cidr.parse("10.8.0.0/24"), Cidr.parse("10.20.0.0/16")), TUNNEL_V4));
    }

    @Test
    void aRoutedAddressOfAFamilyTheTunnelHasNoAddressOfIsNotPreferred() {
        List<InetAddress> candidates = List.of(ip("203.0.113.5"), ip("fd00::5"));

        assertEquals(
                ip("203.0.113.5"),
                AccessRequests.choose(candidates, List.of(Cidr.parse("::/0"), Cidr.parse("10.8.0.0/24")), TUNNEL_V4),
                "the tunnel routes ::/0 but has no IPv6 address: the first address is taken");
    }

    @Test
    void withoutARoutedAddressTheFirstIsAskedFor() {
        List<InetAddress> candidates = List.of(ip("fd00::5"), ip("203.0.113.5"));

        assertEquals(ip("fd00::5"), AccessRequests.choose(candidates, List.of(Cidr.parse("10.8.0.0/24")), TUNNEL_V4));
    }

    @Test
    void aFullTunnelRoutesEveryAddressOfItsFamily() {
        assertTrue(AccessRequests.contains(Cidr.parse("0.0.0.0/0"), ip("203.0.113.5")));
        assertFalse(AccessRequests.contains(Cidr.parse("0.0.0.0/0"), ip("fd00::5")));
        assertTrue(AccessRequests.contains(Cidr.parse("10.20.0.0/16"), ip("10.20.255.1")));
        assertFalse(AccessRequests.contains(Cidr.parse("10.20.0.0/16"), ip("10.21.0.1")));
    }

    @Test
    void onlyDottedQuadsAndHexWithColonsAreLiteralsNothingIsLookedUp() {
        assertEquals("10.20.0.5", ip("10.20.0.5").getHostAddress());
        assertTrue(ip("FD00:0::5").getHostAddress().startsWith("fd00:"));
        assertNull(ip("db.example.com"));
        assertNull(ip("cafe"), "a word of hex digits is a name");
        assertNull(ip("1.2.3"), "not a dotted quad: a name for the resolver");
        assertNull(ip("10.20.0.0/16"), "a prefix is no address");
        assertNull(ip(""));
    }
}

package dev.wirehaven.wireguard.internal.allowedips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {

    private final AllowedIps<String> table = new AllowedIps<>();

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private String lookup(String address) {
        byte[] a = addr(address);
        return table.lookup(a, 0, a.length == 16);
    }

    private void insert(String cidr, String peer) {
        table.insert(Cidr.parse(cidr), peer);
    }

    @Test
    void longestPrefixWinsForIpv4() {
        insert("192.168.4.0/24", "a");
        insert("192.168.4.4/32", "b");
        insert("192.168.0.0/16", "c");
        insert("192.95.5.64/27", "d");
        insert("192.95.5.65/32", "c");
        insert("0.0.0.0/0", "e");
        insert("64.15.112.0/20", "f");
        insert("64.15.123.211/25", "g"); // host bits dropped: 64.15.123.128/25
        insert("10.0.0.0/25", "h");
        insert("10.0.0.128/25", "i");

        String[][] cases = {
            {"192.168.4.20", "a"},
            {"192.168.4.0", "a"},
            {"192.168.4.4", "b"},
            {"192.168.200.182", "c"},
            {"192.95.5.68", "d"},
            {"192.95.5.65", "c"},
            {"192.95.5.96", "e"},
            {"192.95.5.95", "d"},
            {"64.15.116.26", "f"},
            {"64.15.127.3", "f"},
            {"64.15.123.211", "g"},
            {"64.15.123.128", "g"},
            {"64.15.123.127", "f"},
            {"64.15.123.1", "f"},
            {"10.0.0.1", "h"},
            {"10.0.0.129", "i"},
            {"10.0.1.0", "e"},
            {"255.255.255.255", "e"},
            {"0.0.0.0", "e"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], lookup(c[0]), c[0]);
        }
    }

    @Test
    void longestPrefixWinsForIpv6() {
        insert("2607:5300:6000:6b00::c05f:543/128", "d");
        insert("2607:5300:6000:6b00::/64", "c");
        insert("::/0", "e");
        insert("2404:6800::/32", "f");
        insert("2404:6800:4004:800::/64", "g");
        insert("fd00::/8", "h");
        insert("fd00:aaaa:bbbb:cccc:dddd:eeee:ffff:0/127", "i");

        String[][] cases = {
            {"2607:5300:6000:6b00::c05f:543", "d"},
            {"2607:5300:6000:6b00::c02e:1ee", "c"},
            {"2607:5300:6000:6b01::1", "e"},
            {"2404:6800:4004:800::200e", "g"},
            {"2404:6800:4004:801::1", "f"},
            {"2404:6801::1", "e"},
            {"fd00:aaaa:bbbb:cccc:dddd:eeee:ffff:1", "i"},
            {"fd00:aaaa:bbbb:cccc:dddd:eeee:ffff:2", "h"},
            {"fdff::", "h"},
            {"fe00::", "e"},
            {"::", "e"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], lookup(c[0]), c[0]);
        }
    }

    @Test
    void familiesAreSeparate() {
        insert("0.0.0.0/0", "v4");
        assertNull(lookup("::1"));
        assertNull(lookup("::"));
        insert("::/0", "v6");
        assertEquals("v4", lookup("1.2.3.4"));
        assertEquals("v6", lookup("::102:304"));
    }

    @Test
    void everyPeersPrefixesInOneWalkAreThoseOfAWalkPerPeer() {
        insert("192.168.4.0/24", "a");
        insert("10.0.0.0/8", "a");
        insert("fd00::/64", "a");
        insert("192.168.4.4/32", "b");
        insert("2001:db8::1/128", "b");
        insert("0.0.0.0/0", "c");

        java.util.Map<String, java.util.List<Cidr>> all = table.prefixesByPeer();

        assertEquals(Set.of("a", "b", "c"), all.keySet());
        for (String peer : all.keySet()) {
            assertEquals(table.prefixes(peer), all.get(peer), peer);
        }
    }

    @Test
    void anEmptyTableMatchesNothing() {
        assertNull(lookup("10.0.0.1"));
        assertNull(lookup("fd00::1"));
    }

    @Test
    void readsTheAddressStraightFromAPacketBuffer() {
        insert("10.1.0.0/16", "tunnel");
        insert("fd00:1::/32", "tunnel6");
        // an IPv4 header whose destination (offset 16) is 10.1.2.3 and source (12) is elsewhere
        byte[] ip4 = new byte[40];
        System.arraycopy(addr("192.0.2.9"), 0, ip4, 12, 4);
        System.arraycopy(addr("10.1.2.3"), 0, ip4, 16, 4);
        assertEquals("tunnel", table.lookup(ip4, 16, false));
        assertNull(table.lookup(ip4, 12, false));
        // an IPv6 header: source at 8, destination at 24
        byte[] ip6 = new byte[60];
        System.arraycopy(addr("fd00:1:2::3"), 0, ip6, 8, 16);
        System.arraycopy(addr("2001:db8::1"), 0, ip6, 24, 16);
        assertEquals("tunnel6", table.lookup(ip6, 8, true));
        assertNull(table.lookup(ip6, 24, true));
    }

    @Test
    void insertingTheSamePrefixAgainMovesItToTheNewPeer() {
        insert("10.0.0.0/24", "a");
        insert("10.0.0.0/24", "b");
        assertEquals("b", lookup("10.0.0.7"));
        assertEquals(List.of(), table.prefixes("a"));
        assertEquals(List.of(Cidr.parse("10.0.0.0/24")), table.prefixes("b"));
    }

    @Test
    void hostBitsOfAnInsertedPrefixAreIgnored() {
        table.insert(new Cidr(InetAddress.getLoopbackAddress(), 8), "lo");
        insert("10.9.9.9/8", "ten");
        assertEquals("ten", lookup("10.200.0.1"));
        assertEquals(List.of(Cidr.parse("10.0.0.0/8")), table.prefixes("ten"));
    }

    @Test
    void removeOnlyTakesAPrefixFromItsOwner() {
        insert("10.0.0.0/8", "a");
        insert("10.1.0.0/16", "b");
        table.remove(Cidr.parse("10.1.0.0/16"), "a");
        assertEquals("b", lookup("10.1.1.1"), "a does not own 10.1/16");
        table.remove(Cidr.parse("10.1.0.0/24"), "b");
        assertEquals("b", lookup("10.1.0.1"), "b owns 10.1/16, not 10.1.0/24");
        table.remove(Cidr.parse("10.1.0.0/16"), "b");
        assertEquals("a", lookup("10.1.1.1"), "the covering prefix takes over");
        table.remove(Cidr.parse("10.0.0.0/8"), "a");
        assertNull(lookup("10.1.1.1"));
    }

    @Test
    void removingAJoiningPrefixKeepsBothBranches() {
        insert("10.0.0.0/8", "top");
        insert("10.0.0.0/16", "left");
        insert("10.128.0.0/16", "right");
        table.remove(Cidr.parse("10.0.0.0/8"), "top");
        assertEquals("left", lookup("10.0.1.1"));
        assertEquals("right", lookup("10.128.1.1"));
        assertNull(lookup("10.64.0.1"));
        table.remove(Cidr.parse("10.0.0.0/16"), "left");
        assertEquals("right", lookup("10.128.1.1"));
        assertNull(lookup("10.0.1.1"));
    }

    @Test
    void removeAllTakesEveryPrefixOfOnePeer() {
        insert("10.0.0.0/8", "a");
        insert("10.1.0.0/16", "b");
        insert("10.1.1.0/24", "a");
        insert("fd00::/8", "a");
        insert("fd00:1::/32", "b");
        table.removeAll("a");
        assertEquals(List.of(), table.prefixes("a"));
        assertEquals("b", lookup("10.1.1.1"));
        assertNull(lookup("10.2.0.1"));
        assertEquals("b", lookup("fd00:1::1"));
        assertNull(lookup("fd00:2::1"));
        assertEquals(List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00:1::/32")), table.prefixes("b"));
    }

    @Test
    void prefixesListsIpv4ThenIpv6InAddressOrder() {
        insert("fd00::/8", "a");
        insert("10.2.0.0/16", "a");
        insert("10.1.0.0/16", "a");
        insert("10.0.0.0/8", "a");
        insert("10.1.2.3/32", "b");
        insert("::/0", "a");
        assertEquals(
                List.of(
                        Cidr.parse("10.0.0.0/8"),
                        Cidr.parse("10.1.0.0/16"),
                        Cidr.parse("10.2.0.0/16"),
                        Cidr.parse("::/0"),
                        Cidr.parse("fd00::/8")),
                table.prefixes("a"));
        assertEquals(List.of(Cidr.parse("10.1.2.3/32")), table.prefixes("b"));
    }

    @Test
    void zeroAndFullLengthPrefixesWork() {
        insert("0.0.0.0/0", "any4");
        insert("203.0.113.7/32", "host4");
        insert("::/0", "any6");
        insert("2001:db8::7/128", "host6");
        insert("2001:db8::6/128", "host6b");
        assertEquals("host4", lookup("203.0.113.7"));
        assertEquals("any4", lookup("203.0.113.6"));
        assertEquals("host6", lookup("2001:db8::7"));
        assertEquals("host6b", lookup("2001:db8::6"));
        assertEquals("any6", lookup("2001:db8::5"));
        table.remove(Cidr.parse("0.0.0.0/0"), "any4");
        assertNull(lookup("203.0.113.6"));
        assertEquals("host4", lookup("203.0.113.7"));
    }

    @Test
    void aNullPeerIsRefused() {
        assertThrows(NullPointerException.class, () -> table.insert(Cidr.parse("10.0.0.0/8"), null));
        assertTrue(table.prefixes("x").isEmpty());
    }

    private List<String> overlapping(String cidr) {
        return table.overlapping(Cidr.parse(cidr)).stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
    }

    @Test
    void overlappingFindsTheLessAndTheMoreSpecificPrefixes() {
        insert("10.0.0.0/8", "wide");
        insert("10.1.0.0/16", "mid");
        insert("10.1.2.0/24", "narrow");
        insert("10.1.2.7/32", "host");
        insert("10.2.0.0/16", "sibling");
        insert("192.168.0.0/16", "elsewhere");
        insert("::/0", "v6");
        assertEquals(
                List.of("10.0.0.0/8=wide", "10.1.0.0/16=mid", "10.1.2.0/24=narrow", "10.1.2.7/32=host"),
                overlapping("10.1.0.0/16"));
        assertEquals(List.of("10.0.0.0/8=wide", "10.1.0.0/16=mid"), overlapping("10.1.128.0/17"));
        assertEquals(
                List.of("10.0.0.0/8=wide", "10.1.0.0/16=mid", "10.1.2.0/24=narrow", "10.1.2.7/32=host"),
                overlapping("10.1.2.7/32"));
        assertEquals(List.of("192.168.0.0/16=elsewhere"), overlapping("192.168.1.0/24"));
        assertEquals(List.of(), overlapping("172.16.0.0/12"));
        assertEquals(6, overlapping("0.0.0.0/0").size());
        assertEquals(List.of("::/0=v6"), overlapping("2001:db8::/32"));
    }

    @Test
    void overlappingAgreesWithAPairwiseCheck() {
        Random r = new Random(3);
        List<Cidr> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] a = {10, (byte) r.nextInt(4), (byte) r.nextInt(4), (byte) r.nextInt(256)};
            Cidr c;
            try {
                c = new Cidr(InetAddress.getByAddress(a), 8 + r.nextInt(25));
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
            all.add(c);
            table.insert(c, c.toString());
        }
        for (Cidr probe : all) {
            Set<String> expected = new TreeSet<>();
            for (Cidr other : all) {
                if (contains(other, probe) || contains(probe, other)) {
                    expected.add(other.toString());
                }
            }
            Set<String> found = new TreeSet<>();
            table.overlapping(probe).forEach(e -> found.add(e.getValue()));
            assertEquals(expected, found, probe.toString());
        }
    }

    private static boolean contains(Cidr outer, Cidr inner) {
        if (outer.prefixLength() > inner.prefixLength()) {
            return false;
        }
        return new Cidr(inner.address(), outer.prefixLength()).equals(outer);
    }
}

package dev.wirehaven.api.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void hostBitsAreClearedSoEqualPrefixesAreEqualValues() {
        assertEquals(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.0.77/24"));
        assertEquals("10.0.0.0/24", IpPrefix.parse("10.0.0.77/24").toString());
    }

    @Test
    void aBareAddressIsASingleHost() {
        assertEquals(32, IpPrefix.parse("192.0.2.1").prefixLength());
        assertEquals(128, IpPrefix.parse("fd00::1").prefixLength());
    }

    @Test
    void namesAreRefusedRatherThanResolved() {
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("localhost/32"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("example.com"));
    }

    @Test
    void wordsOfHexDigitsAndDotsAreRefusedWithoutALookup() {
        // each of these is a valid host name to InetAddress.getByName, which would ask DNS
        for (String text :
                new String[] {"face", "be.ef", "cafe/24", "1.2.3.256", "1.2.3", "01.2.3.4.5", "10.0.0.1/+8"}) {
            assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(text), text);
        }
        assertEquals(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse(" 10.1.2.3/8 "));
        assertEquals(128, IpPrefix.parse("fd00::1").prefixLength());
    }

    @Test
    void aLengthOutsideTheFamilysRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("fd00::/129"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/-1"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/x"));
    }

    @Test
    void containsMatchesOnlyAddressesInsideThePrefixOfTheSameFamily() throws Exception {
        IpPrefix p = IpPrefix.parse("10.1.16.0/20");
        assertTrue(p.contains(InetAddress.getByName("10.1.31.255")));
        assertFalse(p.contains(InetAddress.getByName("10.1.32.0")));
        assertFalse(p.contains(InetAddress.getByName("::a01:1000")));
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")));
    }

    @Test
    void aMaskedIpv6PrefixStaysIpv6EvenWhenItLooksLikeAMappedAddress() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        IpPrefix p = new IpPrefix(Inet6Address.getByAddress(null, mapped, -1), 127);
        assertTrue(p.address() instanceof Inet6Address);
        assertFalse(p.isIpv4());
    }

    @Test
    void theCallersAddressIsNotAliased() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.200");
        IpPrefix p = new IpPrefix(a, 24);
        assertEquals("192.0.2.200", a.getHostAddress());
        assertEquals("192.0.2.0", p.address().getHostAddress());
    }
}

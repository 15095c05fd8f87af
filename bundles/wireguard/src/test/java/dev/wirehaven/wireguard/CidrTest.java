package dev.wirehaven.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void hostBitsAreClearedSoEqualPrefixesAreEqual() {
        assertEquals(Cidr.parse("10.0.0.0/24"), Cidr.parse("10.0.0.77/24"));
        assertEquals(Cidr.parse("fd00::/64"), Cidr.parse("fd00::1234/64"));
        assertEquals("fd00::/64", Cidr.parse("fd00::1234/64").toString());
        assertEquals("2001:db8:0:1::/64", Cidr.parse("2001:db8:0:1:0:0:0:1/64").toString());
    }

    @Test
    void aBareAddressIsAHostRoute() {
        assertEquals(32, Cidr.parse("192.0.2.1").prefixLength());
        assertEquals(128, Cidr.parse("2001:db8::1").prefixLength());
    }

    @Test
    void wordsThatLookLikeHexAreRefusedInsteadOfResolved() {
        // "cafe" and "beef" are valid hex but not addresses: they must never reach a DNS lookup
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("cafe/32"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("beef"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/32"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.300/32"));
    }

    @Test
    void prefixLengthOutsideTheFamilyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fd00::/129"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
    }
}

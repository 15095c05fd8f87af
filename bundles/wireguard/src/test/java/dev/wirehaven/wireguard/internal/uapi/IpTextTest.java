package dev.wirehaven.wireguard.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/24, 10.0.0.0/24",
        "10.0.0.7/24, 10.0.0.0/24",
        "0.0.0.0/0, 0.0.0.0/0",
        "192.168.1.1/32, 192.168.1.1/32",
        "fd00::/64, fd00::/64",
        "FD00:0:0:0:0:0:0:1/128, fd00::1/128",
        "::/0, ::/0",
        "::1/128, ::1/128",
        "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
        "2001:0:0:1:0:0:0:1/128, 2001:0:0:1::1/128",
        "fe80::1:2:3:4/128, fe80::1:2:3:4/128",
        "1:2:3:4:5:6:7:0/128, 1:2:3:4:5:6:7:0/128",
    })
    void prefixesRoundTripInGoNetipForm(String input, String expected) {
        assertEquals(expected, IpText.formatPrefix(IpText.parsePrefix(input)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0",
                "10.0.0.0/33",
                "10.0.0.0/-1",
                "10.0.0.0/+8",
                "10.0.0/8",
                "010.0.0.0/8",
                "cafe/16",
                "example.com/32",
                "fd00::/129",
                "10.0.0.256/32",
                " 10.0.0.0/8",
                "10.0.0.0/8 ",
                "fe80::1%eth0/128",
                ""
            })
    void malformedPrefixesAreRefusedWithoutResolvingNames(String input) {
        assertThrows(IllegalArgumentException.class, () -> IpText.parsePrefix(input));
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1:51820, 192.0.2.1:51820",
        "[2001:db8::1]:51820, [2001:db8::1]:51820",
        "[2001:DB8:0:0:0:0:0:1]:1, [2001:db8::1]:1",
        "[::ffff:192.0.2.1]:7, [::ffff:192.0.2.1]:7",
        "0.0.0.0:0, 0.0.0.0:0",
    })
    void endpointsRoundTripWithIpv6InBrackets(String input, String expected) {
        assertEquals(expected, IpText.formatEndpoint(IpText.parseEndpoint(input)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.0.2.1",
                "192.0.2.1:",
                "192.0.2.1:65536",
                "2001:db8::1:51820",
                "[2001:db8::1]51820",
                "[192.0.2.1]:5",
                "example.com:51820",
                "cafe:51820",
                "[2001:db8::1]:",
                ":51820",
                "1.2.3.4:-1",
                "[fe80::1%a b]:1"
            })
    void malformedEndpointsAreRefused(String input) {
        assertThrows(IllegalArgumentException.class, () -> IpText.parseEndpoint(input));
    }

    @Test
    void loopbackIpv6EndpointWithNumericZoneKeepsTheZone() {
        InetSocketAddress endpoint = IpText.parseEndpoint("[fe80::1%1]:51820");
        assertTrue(endpoint.getAddress() instanceof Inet6Address);
        assertEquals(1, ((Inet6Address) endpoint.getAddress()).getScopeId());
        assertTrue(IpText.formatEndpoint(endpoint).startsWith("[fe80::1%"), IpText.formatEndpoint(endpoint));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "65535, 65535", "00080, 80"})
    void decimalsAcceptDigitsOnly(String input, int expected) {
        assertEquals(expected, IpText.parseDecimal(input, 0xffff, "port"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+1", "-1", " 1", "1 ", "0x10", "65536", "99999999999999999999999"})
    void decimalsRefuseSignsSpacesAndOverflow(String input) {
        assertThrows(IllegalArgumentException.class, () -> IpText.parseDecimal(input, 0xffff, "port"));
    }

    @Test
    void unsignedValuesReachTwoToTheThirtyTwoMinusOne() {
        assertEquals(0xffff_ffffL, IpText.parseUnsigned("4294967295", 0xffff_ffffL, "fwmark"));
        assertThrows(IllegalArgumentException.class, () -> IpText.parseUnsigned("4294967296", 0xffff_ffffL, "fwmark"));
    }
}

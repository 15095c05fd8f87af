package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectNamesTest {

    @ParameterizedTest(name = "{0}: ip={1} dns={2}")
    @CsvSource({
        "192.0.2.10, true, false",
        "255.255.255.255, true, false",
        "256.1.1.1, false, false",
        "10.8.0, false, false",
        "2001:db8::1, true, false",
        "::1, true, false",
        "fe80::1%eth0, false, false",
        "vpn.example.com, false, true",
        "*.example.com, false, true",
        "localhost, false, true",
        "-bad.example.com, false, false",
        "bad_name, false, false",
        "a..b, false, false",
    })
    void tellsAddressesFromNames(String text, boolean ip, boolean dns) {
        assertEquals(ip, SubjectNames.isIpLiteral(text), "ip");
        assertEquals(dns, SubjectNames.isDnsName(text), "dns");
    }

    @Test
    void theHostsDefaultsLeaveOutLoopbackDuplicatesAndLinkLocalAddresses() throws Exception {
        List<String> names = SubjectNames.defaults(
                "Gateway",
                List.of(
                        InetAddress.getByName("127.0.0.1"),
                        InetAddress.getByName("192.0.2.7"),
                        InetAddress.getByName("fe80::1"),
                        InetAddress.getByName("2001:db8::7"),
                        InetAddress.getByName("192.0.2.7")));

        assertEquals(List.of("localhost", "gateway", "127.0.0.1", "::1", "192.0.2.7", "2001:db8:0:0:0:0:0:7"), names);
    }

    @Test
    void aHostNameThatIsNoDnsNameIsLeftOut() {
        assertFalse(SubjectNames.defaults("my_host", List.of()).contains("my_host"));
    }

    @Test
    void spellingsOfOneAddressCompareEqual() {
        assertEquals(SubjectNames.canonical("2001:db8::1"), SubjectNames.canonical("2001:DB8:0:0::1"));
        assertEquals("vpn.example.com", SubjectNames.canonical("VPN.Example.com"));
        assertTrue(SubjectNames.isIpLiteral(SubjectNames.canonical("::1")));
    }
}

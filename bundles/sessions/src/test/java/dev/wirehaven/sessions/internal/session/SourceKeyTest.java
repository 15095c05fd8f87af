package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowFixture.address;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SourceKeyTest {

    @Test
    void anIpv4SourceIsItsAddressAndAnIpv6SourceItsSlash64() {
        assertEquals("198.51.100.7", SourceKey.of(address("198.51.100.7")));
        assertEquals("2001:db8:1:2::/64", SourceKey.of(address("2001:db8:1:2::1")));
        assertEquals("2001:db8:1:2::/64", SourceKey.of(address("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assertEquals("2001:db8:1:3::/64", SourceKey.of(address("2001:db8:1:3::1")));
        assertEquals("198.51.100.7", SourceKey.of(address("::ffff:198.51.100.7")), "IPv4-mapped is IPv4");
    }
}

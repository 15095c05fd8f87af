package dev.wirehaven.api.policy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AccessRequestTest {

    private static final Identity ALICE = Identity.of("alice", "ops");

    @Test
    void tcpAndUdpNeedAPortInRange() throws Exception {
        InetAddress db = InetAddress.getByName("10.2.0.5");
        assertThrows(IllegalArgumentException.class, () -> new ResourceAccess(ALICE, "s1", Protocol.TCP, db, 0));
        assertThrows(IllegalArgumentException.class, () -> new ResourceAccess(ALICE, "s1", Protocol.UDP, db, 65536));
        assertDoesNotThrow(() -> new ResourceAccess(ALICE, "s1", Protocol.TCP, db, 5432));
    }

    @Test
    void protocolsWithoutPortsMustSayZero() throws Exception {
        InetAddress db = InetAddress.getByName("10.2.0.5");
        assertThrows(IllegalArgumentException.class, () -> new ResourceAccess(ALICE, "s1", Protocol.ICMP, db, 7));
        assertDoesNotThrow(() -> new ResourceAccess(ALICE, "s1", Protocol.ICMP, db, 0));
    }

    @Test
    void aSubnetAdvertisementNeedsItsParts() {
        assertThrows(NullPointerException.class, () -> new SubnetAdvertisement(ALICE, "s1", null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SubnetAdvertisement(ALICE, " ", IpPrefix.parse("192.168.50.0/24")));
    }
}

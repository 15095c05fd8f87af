package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Peers of owners ({@code ownedPeer}) and of the operator ({@code peer}), and their claims on allowed IPs. */
class PeerOwnershipTest {

    private final Key deviceKey = Keys.generatePrivate();
    private final Key alice = Keys.publicFrom(Keys.generatePrivate());
    private final Key bob = Keys.publicFrom(Keys.generatePrivate());
    private final Key carol = Keys.publicFrom(Keys.generatePrivate());
    private Device device;

    @BeforeEach
    void setUp() throws Exception {
        device = Device.create(
                "wgO",
                new MemoryTun("tunO", 1420),
                new MemoryNetwork().factory(),
                DeviceOptions.defaults().withCryptoWorkers(1),
                new TestClock(),
                new Random(1),
                false);
        device.configure(tx -> tx.privateKey(deviceKey));
    }

    @AfterEach
    void tearDown() {
        device.close();
    }

    private PeerSnapshot peer(Key key) {
        return device.snapshot().peers().stream()
                .filter(p -> p.publicKey().equals(key))
                .findFirst()
                .orElseThrow();
    }

    private static void assertNoKeyIn(String message, Key key) {
        assertFalse(message.contains(key.toBase64()), message);
        assertFalse(message.contains(key.toHex()), message);
    }

    private void claim(Key key, String owner, String prefix) throws ConfigException {
        device.configure(tx -> tx.ownedPeer(key, owner).claimAllowedIp(Cidr.parse(prefix)));
    }

    @Test
    void ownedPeerCreatesThePeerForItsOwnerAndSelectsItAgainForThatOwner() throws Exception {
        device.configure(tx -> tx.ownedPeer(alice, "sessions").persistentKeepalive(0));
        device.configure(tx -> tx.ownedPeer(alice, "sessions").addAllowedIp(Cidr.parse("10.9.0.2/32")));
        PeerSnapshot p = peer(alice);
        assertEquals("sessions", p.owner());
        assertEquals(List.of(Cidr.parse("10.9.0.2/32")), p.allowedIps());
        assertEquals(1, device.snapshot().peers().size());
    }

    @Test
    void ownedPeerRefusesAKeyThatAnotherOwnerHas() throws Exception {
        device.configure(tx -> tx.ownedPeer(alice, "sessions"));
        ConfigException e =
                assertThrows(ConfigException.class, () -> device.configure(tx -> tx.ownedPeer(alice, "sites")));
        assertTrue(e.getMessage().contains("another owner"), e.getMessage());
        assertNoKeyIn(e.getMessage(), alice);
        assertEquals("sessions", peer(alice).owner());
    }

    @Test
    void ownedPeerRefusesAKeyThatTheOperatorPutOnTheDevice() throws Exception {
        device.configure(tx -> tx.peer(alice, false));
        ConfigException e =
                assertThrows(ConfigException.class, () -> device.configure(tx -> tx.ownedPeer(alice, "sessions")));
        assertTrue(e.getMessage().contains("without owner"), e.getMessage());
        assertNoKeyIn(e.getMessage(), alice);
        assertNull(peer(alice).owner());
    }

    @Test
    void ownedPeerRefusesTheDevicesOwnKey() {
        Key own = Keys.publicFrom(deviceKey);
        ConfigException e =
                assertThrows(ConfigException.class, () -> device.configure(tx -> tx.ownedPeer(own, "sessions")));
        assertNoKeyIn(e.getMessage(), own);
    }

    @Test
    void theOperatorMayChangeAnOwnedPeerWhichKeepsItsOwner() throws Exception {
        device.configure(tx -> tx.ownedPeer(alice, "sessions"));
        device.configure(tx -> tx.peer(alice, true).addAllowedIp(Cidr.parse("10.9.0.2/32")));
        assertEquals("sessions", peer(alice).owner());
        assertEquals(List.of(Cidr.parse("10.9.0.2/32")), peer(alice).allowedIps());
    }

    @Test
    void claimAllowedIpRefusesPrefixesOverlappingAnotherOwnersInEitherDirection() throws Exception {
        claim(alice, "sessions", "10.1.0.0/16");
        claim(alice, "sessions", "fd00:1::/64");
        for (String taken :
                List.of("10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0", "fd00:1::5/128", "fd00::/16")) {
            ConfigException e = assertThrows(ConfigException.class, () -> claim(bob, "sites", taken), taken);
            assertTrue(e.getMessage().contains(Cidr.parse(taken).toString()), e.getMessage());
            assertTrue(e.getMessage().contains("another owner"), e.getMessage());
            assertNoKeyIn(e.getMessage(), alice);
        }
        assertEquals(List.of(), peer(bob).allowedIps(), "nothing was taken");
        assertEquals(
                List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00:1::/64")),
                peer(alice).allowedIps());

        claim(bob, "sites", "10.2.0.0/16");
        claim(bob, "sites", "fd00:2::/64");
        assertEquals(
                List.of(Cidr.parse("10.2.0.0/16"), Cidr.parse("fd00:2::/64")),
                peer(bob).allowedIps());
    }

    @Test
    void claimAllowedIpRefusesPrefixesOverlappingAPeerWithoutOwner() throws Exception {
        device.configure(tx -> tx.peer(carol, false).addAllowedIp(Cidr.parse("192.168.0.0/16")));
        ConfigException narrower =
                assertThrows(ConfigException.class, () -> claim(alice, "sessions", "192.168.7.0/24"));
        assertTrue(narrower.getMessage().contains("without owner"), narrower.getMessage());
        assertThrows(ConfigException.class, () -> claim(alice, "sessions", "192.0.0.0/8"));
        claim(alice, "sessions", "192.169.0.0/16");
        assertEquals(List.of(Cidr.parse("192.168.0.0/16")), peer(carol).allowedIps());
    }

    @Test
    void peersOfTheSameOwnerMayOverlap() throws Exception {
        claim(alice, "sessions", "10.1.0.0/16");
        claim(bob, "sessions", "10.1.2.0/24");
        claim(bob, "sessions", "10.1.0.0/16"); // an equal prefix moves, as addAllowedIp does
        assertEquals(List.of(), peer(alice).allowedIps());
        assertEquals(
                List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("10.1.2.0/24")),
                peer(bob).allowedIps());
    }

    @Test
    void aPeerWithoutOwnerClaimsOnlyWhatNoOtherPeerOverlaps() throws Exception {
        claim(alice, "sessions", "10.1.0.0/16");
        device.configure(tx -> tx.peer(carol, false).addAllowedIp(Cidr.parse("10.3.0.0/16")));
        assertThrows(
                ConfigException.class,
                () -> device.configure(tx -> tx.peer(carol, true).claimAllowedIp(Cidr.parse("10.1.1.0/24"))));
        device.configure(tx -> tx.peer(bob, false).addAllowedIp(Cidr.parse("10.4.0.0/16")));
        assertThrows(
                ConfigException.class,
                () -> device.configure(tx -> tx.peer(carol, true).claimAllowedIp(Cidr.parse("10.4.0.0/24"))));
        device.configure(tx -> tx.peer(carol, true).claimAllowedIp(Cidr.parse("10.3.1.0/24"))); // its own
        device.configure(tx -> tx.peer(carol, true).claimAllowedIp(Cidr.parse("10.5.0.0/16")));
        assertEquals(
                List.of(Cidr.parse("10.3.0.0/16"), Cidr.parse("10.3.1.0/24"), Cidr.parse("10.5.0.0/16")),
                peer(carol).allowedIps());
    }
}

package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.internal.testing.Packets;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The inner IP header fields the device reads, on packets built independently by {@link Packets}. */
class IpHeaderTest {

    private static final int OFF = 16; // as in an element: the packet sits behind the transport header

    private static byte[] at(byte[] packet, int padding) {
        byte[] b = new byte[OFF + packet.length + padding];
        System.arraycopy(packet, 0, b, OFF, packet.length);
        return b;
    }

    @Test
    void ipv4AddressesAreReadFromTheirRfc791Offsets() throws Exception {
        byte[] b = at(Packets.ipv4("10.0.0.1", "192.168.7.9", 10, 0), 0);
        assertArrayEquals(
                InetAddress.getByName("10.0.0.1").getAddress(),
                Arrays.copyOfRange(
                        b, OFF + IpHeader.IPV4_SOURCE_ADDRESS_OFFSET, OFF + IpHeader.IPV4_SOURCE_ADDRESS_OFFSET + 4));
        assertArrayEquals(
                InetAddress.getByName("192.168.7.9").getAddress(),
                Arrays.copyOfRange(
                        b,
                        OFF + IpHeader.IPV4_DESTINATION_ADDRESS_OFFSET,
                        OFF + IpHeader.IPV4_DESTINATION_ADDRESS_OFFSET + 4));
    }

    @Test
    void ipv6AddressesAreReadFromTheirRfc8200Offsets() throws Exception {
        byte[] b = at(Packets.ipv6("fd00::1", "fd00::abcd", 10, 0), 0);
        assertArrayEquals(
                InetAddress.getByName("fd00::1").getAddress(),
                Arrays.copyOfRange(
                        b, OFF + IpHeader.IPV6_SOURCE_ADDRESS_OFFSET, OFF + IpHeader.IPV6_SOURCE_ADDRESS_OFFSET + 16));
        assertArrayEquals(
                InetAddress.getByName("fd00::abcd").getAddress(),
                Arrays.copyOfRange(
                        b,
                        OFF + IpHeader.IPV6_DESTINATION_ADDRESS_OFFSET,
                        OFF + IpHeader.IPV6_DESTINATION_ADDRESS_OFFSET + 16));
    }

    @Test
    void packetLengthIsWhatTheHeaderStatesWithoutThePaddingBehind() {
        byte[] v4 = Packets.ipv4("10.0.0.1", "10.0.0.2", 33, 0);
        assertEquals(v4.length, IpHeader.packetLength(at(v4, 15), OFF, v4.length + 15));
        byte[] v6 = Packets.ipv6("fd00::1", "fd00::2", 33, 0);
        assertEquals(v6.length, IpHeader.packetLength(at(v6, 15), OFF, v6.length + 15));
    }

    @Test
    void aHeaderThatClaimsMoreBytesThanArrivedHasNoLength() {
        byte[] v4 = Packets.ipv4("10.0.0.1", "10.0.0.2", 33, 0);
        assertEquals(-1, IpHeader.packetLength(at(v4, 0), OFF, v4.length - 1));
        byte[] v6 = Packets.ipv6("fd00::1", "fd00::2", 33, 0);
        assertEquals(-1, IpHeader.packetLength(at(v6, 0), OFF, v6.length - 1));
    }

    @Test
    void anIpv4TotalLengthShorterThanItsHeaderHasNoLength() {
        byte[] v4 = Packets.ipv4("10.0.0.1", "10.0.0.2", 0, 0);
        v4[IpHeader.IPV4_TOTAL_LENGTH_OFFSET + 1] = (byte) (IpHeader.IPV4_HEADER_SIZE - 1);
        assertEquals(-1, IpHeader.packetLength(at(v4, 0), OFF, v4.length));
    }

    @Test
    void aCutShortHeaderOrAnotherVersionIsNeitherIpv4NorIpv6() {
        byte[] v4 = at(Packets.ipv4("10.0.0.1", "10.0.0.2", 0, 0), 0);
        assertTrue(IpHeader.isIpv4(v4, OFF, IpHeader.IPV4_HEADER_SIZE));
        assertFalse(IpHeader.isIpv4(v4, OFF, IpHeader.IPV4_HEADER_SIZE - 1));
        byte[] v6 = at(Packets.ipv6("fd00::1", "fd00::2", 0, 0), 0);
        assertTrue(IpHeader.isIpv6(v6, OFF, IpHeader.IPV6_HEADER_SIZE));
        assertFalse(IpHeader.isIpv6(v6, OFF, IpHeader.IPV6_HEADER_SIZE - 1));
        v6[OFF] = 0x50; // version 5
        assertEquals(-1, IpHeader.packetLength(v6, OFF, v6.length - OFF));
    }
}

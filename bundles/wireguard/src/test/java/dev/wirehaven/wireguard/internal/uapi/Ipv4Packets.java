package dev.wirehaven.wireguard.internal.uapi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Well-formed IPv4/UDP packets for tests that send through a device. */
final class Ipv4Packets {

    private Ipv4Packets() {}

    static byte[] udp(String source, String destination, int sourcePort, int destinationPort, String payload)
            throws UnknownHostException {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        int length = 20 + 8 + data.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) length)
                .putShort((short) 1)
                .putShort((short) 0)
                .put((byte) 64)
                .put((byte) 17)
                .putShort((short) 0)
                .put(InetAddress.getByName(source).getAddress())
                .put(InetAddress.getByName(destination).getAddress());
        b.putShort((short) sourcePort)
                .putShort((short) destinationPort)
                .putShort((short) (8 + data.length))
                .putShort((short) 0)
                .put(data);
        byte[] packet = b.array();
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int checksum = ~sum & 0xffff;
        packet[10] = (byte) (checksum >> 8);
        packet[11] = (byte) checksum;
        return packet;
    }
}

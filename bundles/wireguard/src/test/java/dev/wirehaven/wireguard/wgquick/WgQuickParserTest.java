package dev.wirehaven.wireguard.wgquick;

import static dev.wirehaven.wireguard.wgquick.SeedExamples.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WgQuickParserTest {

    @Test
    void readsTheSeedServerExample() throws Exception {
        WgQuickConfig c = WgQuickParser.parse("wg0.conf", SeedExamples.SERVER);

        InterfaceSection i = c.iface();
        assertEquals(key(SeedExamples.SERVER_PRIVATE), i.privateKey());
        assertEquals(List.of(new InterfaceAddress(InetAddress.getByName("10.0.0.1"), 24)), i.addresses());
        assertEquals(OptionalInt.of(51820), i.listenPort());
        assertEquals(List.of("iptables -A FORWARD -i wg0 -j ACCEPT"), i.postUp());
        assertEquals(List.of("iptables -D FORWARD -i wg0 -j ACCEPT"), i.postDown());
        assertTrue(i.preUp().isEmpty() && i.preDown().isEmpty());
        assertTrue(i.dnsServers().isEmpty());
        assertFalse(i.saveConfig());

        assertEquals(1, c.peers().size());
        PeerSection p = c.peers().get(0);
        assertEquals(key(SeedExamples.CLIENT_PUBLIC), p.publicKey());
        assertEquals(List.of(Cidr.parse("10.0.0.2/32")), p.allowedIps());
        assertEquals(Optional.empty(), p.endpoint());
        assertEquals(Optional.empty(), p.presharedKey());
    }

    @Test
    void readsTheSeedClientExample() throws Exception {
        WgQuickConfig c = WgQuickParser.parse("client.conf", SeedExamples.CLIENT);

        InterfaceSection i = c.iface();
        assertEquals(key(SeedExamples.CLIENT_PRIVATE), i.privateKey());
        InterfaceAddress address = i.addresses().get(0);
        assertEquals("10.0.0.2/24", address.toString(), "the host bits of an interface address are kept");
        assertEquals(Cidr.parse("10.0.0.0/24"), address.subnet());
        assertEquals(List.of(InetAddress.getByName("8.8.8.8")), i.dnsServers());

        PeerSection p = c.peers().get(0);
        assertEquals(key(SeedExamples.SERVER_PUBLIC), p.publicKey());
        assertEquals(Optional.of(new Endpoint("vpn.company.com", 51820)), p.endpoint(), "names stay unresolved");
        assertEquals(List.of(Cidr.parse("0.0.0.0/0")), p.allowedIps());
        assertEquals(OptionalInt.of(25), p.persistentKeepalive());
    }

    @Test
    void readsEveryKeyInAnyCaseWithCommentsAndRepeats() throws Exception {
        String text = """
                # a server with everything
                [interface]   # section names in any case too
                privatekey=%s
                Address = 10.0.0.1/24, fd00::1/64
                ADDRESS = 192.168.7.1
                ListenPort = 51820
                DNS = 10.0.0.53, fd00::53, corp.example.com
                dns = example.org
                MTU = 1380
                Table = off
                SaveConfig = false
                FwMark = 0xca6c
                PreUp = echo pre-up 1
                PostUp = iptables -A FORWARD -i %%i -j ACCEPT
                PostUp = iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE # a comment ends the command
                PreDown = echo pre-down
                PostDown = iptables -D FORWARD -i %%i -j ACCEPT

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                AllowedIPs = 10.0.0.2/32, fd00::2/128
                AllowedIPs = 172.16.0.0/12
                Endpoint = [2001:db8::7]:51821
                PersistentKeepalive = off

                [PEER]
                PublicKey = %s
                AllowedIPs =
                Endpoint = 192.0.2.9:4500
                """.formatted(
                        SeedExamples.SERVER_PRIVATE,
                        SeedExamples.CLIENT_PUBLIC,
                        SeedExamples.PRESHARED,
                        SeedExamples.OTHER_PUBLIC);

        WgQuickConfig c = WgQuickParser.parse("wg0.conf", text);

        InterfaceSection i = c.iface();
        assertEquals("[10.0.0.1/24, fd00::1/64, 192.168.7.1/32]", i.addresses().toString());
        assertEquals(List.of(InetAddress.getByName("10.0.0.53"), InetAddress.getByName("fd00::53")), i.dnsServers());
        assertEquals(List.of("corp.example.com", "example.org"), i.dnsSearchDomains());
        assertEquals(OptionalInt.of(1380), i.mtu());
        assertEquals(Optional.of("off"), i.table());
        assertEquals(OptionalLong.of(0xca6c), i.fwMark());
        assertEquals(List.of("echo pre-up 1"), i.preUp());
        assertEquals(
                List.of("iptables -A FORWARD -i %i -j ACCEPT", "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE"),
                i.postUp(),
                "hooks keep their order, and '#' cuts the line as in wg-quick");
        assertEquals(List.of("echo pre-down"), i.preDown());
        assertEquals(List.of("iptables -D FORWARD -i %i -j ACCEPT"), i.postDown());

        PeerSection first = c.peers().get(0);
        assertEquals(Optional.of(key(SeedExamples.PRESHARED)), first.presharedKey());
        assertEquals(
                List.of(Cidr.parse("10.0.0.2/32"), Cidr.parse("fd00::2/128"), Cidr.parse("172.16.0.0/12")),
                first.allowedIps());
        assertEquals("[2001:db8::7]:51821", first.endpoint().orElseThrow().toString());
        assertEquals(OptionalInt.empty(), first.persistentKeepalive(), "off means no keepalive");

        PeerSection second = c.peers().get(1);
        assertEquals(key(SeedExamples.OTHER_PUBLIC), second.publicKey());
        assertTrue(second.allowedIps().isEmpty(), "an empty AllowedIPs is legal");
        assertEquals(new Endpoint("192.0.2.9", 4500), second.endpoint().orElseThrow());
    }

    @Test
    void acceptsWindowsLineEndsAndAByteOrderMark() throws Exception {
        String text = "\uFEFF" + SeedExamples.CLIENT.replace("\n", "\r\n");

        WgQuickConfig c = WgQuickParser.parse("client.conf", text);

        assertEquals(WgQuickParser.parse("client.conf", SeedExamples.CLIENT), c);
    }

    @Test
    void readsAFileAndNamesItInProblems(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wg7.conf");
        Files.writeString(file, SeedExamples.SERVER);
        assertEquals(WgQuickParser.parse("x", SeedExamples.SERVER), WgQuickParser.parse(file));

        Files.writeString(file, "[Interface]\nListenPort = 70000\n");
        WgQuickFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                WgQuickFormatException.class, () -> WgQuickParser.parse(file));
        assertTrue(e.getMessage().startsWith("wg7.conf:"), e.getMessage());
    }
}

package dev.wirehaven.wireguard.wgquick;

import static dev.wirehaven.wireguard.wgquick.SeedExamples.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WgQuickRoundTripTest {

    @Test
    void writesTheSeedExamplesBackByteForByte() throws Exception {
        assertEquals(SeedExamples.SERVER, WgQuickWriter.write(WgQuickParser.parse("wg0.conf", SeedExamples.SERVER)));
        assertEquals(SeedExamples.CLIENT, WgQuickWriter.write(WgQuickParser.parse("client.conf", SeedExamples.CLIENT)));
    }

    @Test
    void aStockClientConfigHasTheSeedClientShape() throws Exception {
        PeerSection server = PeerSection.builder(key(SeedExamples.SERVER_PUBLIC))
                .endpoint(new Endpoint("vpn.company.com", 51820))
                .allowedIp(Cidr.parse("0.0.0.0/0"))
                .persistentKeepalive(25)
                .build();
        StockClientConfig client = new StockClientConfig(
                key(SeedExamples.CLIENT_PRIVATE),
                List.of(new InterfaceAddress(InetAddress.getByName("10.0.0.2"), 24)),
                List.of(InetAddress.getByName("8.8.8.8")),
                List.of(),
                OptionalInt.empty(),
                server);

        assertEquals(SeedExamples.CLIENT, client.text());
        assertEquals(client, StockClientConfig.from(WgQuickParser.parse("client.conf", client.text())));
    }

    @Test
    void everyKeySurvivesWriteThenParse() throws Exception {
        InterfaceSection iface = InterfaceSection.builder(key(SeedExamples.SERVER_PRIVATE))
                .address(new InterfaceAddress(InetAddress.getByName("10.8.0.1"), 16))
                .address(new InterfaceAddress(InetAddress.getByName("fd00:0:0:8::1"), 64))
                .listenPort(51820)
                .fwMark(0xca6c)
                .dnsServer(InetAddress.getByName("10.8.0.53"))
                .dnsServer(InetAddress.getByName("2001:db8::53"))
                .dnsSearchDomain("corp.example.com")
                .mtu(1380)
                .table("1234")
                .saveConfig(true)
                .preUp("sysctl -w net.ipv4.ip_forward=1")
                .postUp("iptables -A FORWARD -i %i -j ACCEPT")
                .postUp("iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE")
                .preDown("logger going down")
                .postDown("iptables -D FORWARD -i %i -j ACCEPT")
                .postDown("iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE")
                .build();
        PeerSection roaming = PeerSection.builder(key(SeedExamples.CLIENT_PUBLIC))
                .presharedKey(key(SeedExamples.PRESHARED))
                .allowedIp(Cidr.parse("10.8.0.2/32"))
                .allowedIp(Cidr.parse("fd00:0:0:8::2/128"))
                .endpoint(new Endpoint("2001:db8::2", 40000))
                .persistentKeepalive(15)
                .build();
        PeerSection site = PeerSection.builder(key(SeedExamples.OTHER_PUBLIC))
                .allowedIp(Cidr.parse("192.168.0.0/16"))
                .endpoint(new Endpoint("branch.example.com", 51820))
                .build();
        WgQuickConfig config = new WgQuickConfig(iface, List.of(roaming, site));

        String text = WgQuickWriter.write(config);

        assertEquals(config, WgQuickParser.parse("wg0.conf", text));
        assertTrue(text.contains("Address = 10.8.0.1/16, fd00:0:0:8::1/64\n"), text);
        assertTrue(text.contains("DNS = 10.8.0.53, 2001:db8::53, corp.example.com\n"), text);
        assertTrue(text.contains("FwMark = 0xca6c\n"), text);
        assertTrue(text.contains("Endpoint = [2001:db8::2]:40000\n"), text);
        assertTrue(text.contains("AllowedIPs = 10.8.0.2/32, fd00:0:0:8::2/128\n"), text);
    }

    @Test
    void fwMarkOffSurvivesTheRoundTrip() throws Exception {
        WgQuickConfig config = new WgQuickConfig(
                InterfaceSection.builder(key(SeedExamples.SERVER_PRIVATE))
                        .fwMark(0)
                        .build(),
                List.of());

        String text = WgQuickWriter.write(config);

        assertTrue(text.contains("FwMark = off\n"), text);
        assertEquals(config, WgQuickParser.parse("wg0.conf", text));
    }

    @Test
    void refusesAValueThatWouldChangeMeaningWhenReadBack() {
        WgQuickConfig hashInHook = new WgQuickConfig(
                InterfaceSection.builder(key(SeedExamples.SERVER_PRIVATE))
                        .postUp("echo '#1'")
                        .build(),
                List.of());
        WgQuickConfig newlineInHook = new WgQuickConfig(
                InterfaceSection.builder(key(SeedExamples.SERVER_PRIVATE))
                        .postUp("true\nPrivateKey = x")
                        .build(),
                List.of());

        assertThrows(IllegalArgumentException.class, () -> WgQuickWriter.write(hashInHook));
        assertThrows(IllegalArgumentException.class, () -> WgQuickWriter.write(newlineInHook));
    }

    @Test
    void aServerFileIsNotAStockClientConfig() throws Exception {
        WgQuickConfig server = WgQuickParser.parse("wg0.conf", SeedExamples.SERVER);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StockClientConfig.from(server));

        assertTrue(e.getMessage().contains("PreUp/PostUp/PreDown/PostDown hooks"), e.getMessage());
        assertTrue(e.getMessage().contains("ListenPort"), e.getMessage());
    }

    @Test
    void aClientConfigNeedsTheServerEndpoint() {
        PeerSection noEndpoint =
                PeerSection.builder(key(SeedExamples.SERVER_PUBLIC)).build();

        assertThrows(
                IllegalArgumentException.class,
                () -> new StockClientConfig(
                        key(SeedExamples.CLIENT_PRIVATE),
                        List.of(new InterfaceAddress(InetAddress.getByName("10.0.0.2"), 24)),
                        List.of(),
                        List.of(),
                        OptionalInt.empty(),
                        noEndpoint));
    }

    @Test
    void textOfModelsHidesPrivateAndPresharedKeys() throws Exception {
        String text =
                SeedExamples.CLIENT.replace("[Peer]\n", "[Peer]\nPresharedKey = " + SeedExamples.PRESHARED + "\n");
        WgQuickConfig config = WgQuickParser.parse("client.conf", text);
        StockClientConfig client = StockClientConfig.from(config);

        for (String shown : List.of(
                config.toString(),
                client.toString(),
                config.iface().toString(),
                config.peers().get(0).toString())) {
            assertFalse(shown.contains(SeedExamples.CLIENT_PRIVATE), shown);
            assertFalse(shown.contains(SeedExamples.PRESHARED), shown);
        }
        assertTrue(
                config.toString().contains(SeedExamples.SERVER_PUBLIC), "public keys are shown, they identify peers");
        assertTrue(
                client.text().contains("PrivateKey = " + SeedExamples.CLIENT_PRIVATE), "the file itself has the key");
    }
}

package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.wgquick.Endpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StaticPeerTest {

    private static final Path DATA = Path.of("/srv/wirehaven/data");
    private static final Key KEY = Keys.publicFrom(Keys.generatePrivate());

    @Test
    void aPeerIsWrittenAsAfterWgSetPeerAndReadsBackEqual() {
        StaticPeer peer = new StaticPeer(
                KEY,
                List.of(Cidr.parse("10.8.0.2/32"), Cidr.parse("fd00:8::2/128")),
                new Endpoint("2001:db8::7", 51820),
                25,
                Path.of("keys/wg0-peer1.psk"));

        String written = peer.toString();

        assertEquals(
                KEY.toBase64() + " allowed-ips 10.8.0.2/32,fd00:8::2/128 endpoint [2001:db8::7]:51820"
                        + " persistent-keepalive 25 preshared-key keys/wg0-peer1.psk",
                written);
        assertEquals(peer, StaticPeer.parse(written, null));
    }

    @Test
    void theOptionsComeInAnyOrderAndAPresharedKeyFileIsRelativeToTheDataDirectory() {
        StaticPeer peer = StaticPeer.parse(
                "  " + KEY.toBase64() + "  preshared-key keys/p.psk   endpoint"
                        + " vpn.example.com:51000 allowed-ips 10.8.0.0/24 persistent-keepalive off ",
                DATA);

        assertEquals(KEY, peer.publicKey());
        assertEquals(List.of(Cidr.parse("10.8.0.0/24")), peer.allowedIps());
        assertEquals(new Endpoint("vpn.example.com", 51000), peer.endpoint());
        assertEquals(0, peer.persistentKeepalive());
        assertEquals(Path.of("/srv/wirehaven/data/keys/p.psk"), peer.presharedKeyFile());
    }

    @Test
    void aPeerWithOnlyItsKeyHasNothingElse() {
        StaticPeer peer = StaticPeer.parse(KEY.toBase64(), DATA);

        assertEquals(List.of(), peer.allowedIps());
        assertNull(peer.endpoint());
        assertNull(peer.presharedKeyFile());
        assertEquals(KEY.toBase64(), peer.toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "allowed-ips                   | allowed-ips has no value",
                "allowed-ips 10.8.0.2/33       | allowed-ips '10.8.0.2/33' is not an IP prefix; write e.g. 10.8.0.2/32",
                "allowed-ips 10.8.0.2/32,,10.8.0.3/32 | allowed-ips has an empty item",
                "allowed-ips 10.8.0.2/32 allowed-ips 10.8.0.3/32 | allowed-ips is given twice; keep one",
                "endpoint 192.0.2.7            | endpoint '192.0.2.7' is not host:port",
                "endpoint 2001:db8::7:51820    | endpoint '2001:db8::7:51820' is not host:port",
                "endpoint host:70000           | endpoint 'host:70000' is not host:port",
                "persistent-keepalive often    | persistent-keepalive 'often' is not a number of seconds",
                "persistentkeepalive 25        | 'persistentkeepalive' is not a peer option; after the public key come"
                        + " allowed-ips, endpoint, persistent-keepalive, preshared-key",
            })
    void aBadOptionIsNamedWithTheFix(String options, String expected) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> StaticPeer.parse(KEY.toBase64() + " " + options, DATA));

        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void somethingElseThanAPublicKeyFirstIsRefusedWithoutEchoingIt() {
        String secret = Keys.generatePrivate().toBase64().substring(0, 40);

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> StaticPeer.parse(secret + " allowed-ips 10.8.0.2/32", DATA));

        assertTrue(e.getMessage().startsWith("does not start with a peer's public key"), e.getMessage());
        assertFalse(e.getMessage().contains(secret));
    }
}

package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterfaceSettingsTest {

    private static final Path DATA = Path.of("/srv/wirehaven/data");
    private static final String PID = "dev.wirehaven.wireguard.interface~wg0";
    private static final String FILE = "/srv/wirehaven/etc/dev.wirehaven.wireguard.interface-wg0.cfg";

    /** The properties of a configuration that FileInstall made from {@link #FILE}, plus {@code entries}. */
    private static Map<String, Object> config(Object... entries) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", PID);
        props.put("service.factoryPid", InterfaceSettings.FACTORY_PID);
        props.put(
                ConfigurationOrigin.FILEINSTALL_FILENAME, Path.of(FILE).toUri().toString());
        for (int i = 0; i < entries.length; i += 2) {
            props.put((String) entries[i], entries[i + 1]);
        }
        return props;
    }

    @Test
    void anEmptyConfigurationGivesWg0OnWireGuardsPortWithItsKeyInTheDataDirectory() {
        InterfaceSettings s = InterfaceSettings.from(config(), DATA);

        assertEquals("wg0", s.name());
        assertEquals(51820, s.listenPort());
        assertEquals(Path.of("/srv/wirehaven/data/keys/wg0.key"), s.privateKeyFile());
        assertEquals(List.of(), s.addresses());
        assertEquals(1420, s.mtu());
        assertEquals(List.of(), s.peers());
        assertEquals(List.of(), s.postUp());
    }

    @Test
    void theDefaultKeyFileFollowsTheInterfaceName() {
        InterfaceSettings s = InterfaceSettings.from(config("name", "wg-office"), DATA);

        assertEquals(Path.of("/srv/wirehaven/data/keys/wg-office.key"), s.privateKeyFile());
    }

    @Test
    void textValuesFromACfgFileAreParsedAndAddressesKeepTheirHostPartAndOrder() {
        InterfaceSettings s = InterfaceSettings.from(
                config("name", "wg1", "listenPort", "51821", "mtu", " 1380 ", "addresses", "10.8.0.1/24, fd00:8::1/64"),
                DATA);

        assertEquals("wg1", s.name());
        assertEquals(51821, s.listenPort());
        assertEquals(1380, s.mtu());
        assertEquals(
                List.of("10.8.0.1/24", "fd00:8::1/64"),
                s.addresses().stream().map(InterfaceAddress::toString).toList());
        assertTrue(s.addresses().get(0).isIpv4());
        assertFalse(s.addresses().get(1).isIpv4());
    }

    @Test
    void typedValuesFromTheWebConsoleAreAcceptedAsTheyCome() {
        InterfaceSettings s = InterfaceSettings.from(
                config("listenPort", 443, "mtu", 1280L, "addresses", new String[] {"10.8.0.1/24", "10.9.0.1/16"}),
                DATA);

        assertEquals(443, s.listenPort());
        assertEquals(1280, s.mtu());
        assertEquals(
                List.of("10.8.0.1/24", "10.9.0.1/16"),
                s.addresses().stream().map(InterfaceAddress::toString).toList());
    }

    @Test
    void aBareAddressIsAHostAddress() {
        InterfaceSettings s = InterfaceSettings.from(config("addresses", List.of("10.8.0.1", "fd00:8::1")), DATA);

        assertEquals(
                List.of("10.8.0.1/32", "fd00:8::1/128"),
                s.addresses().stream().map(InterfaceAddress::toString).toList());
    }

    @Test
    void aRelativeKeyFileIsUnderTheDataDirectoryAndAnAbsoluteOneStaysWhereItIs() {
        assertEquals(
                Path.of("/srv/wirehaven/data/secrets/office.key"),
                InterfaceSettings.from(config("privateKeyFile", "secrets/office.key"), DATA)
                        .privateKeyFile());
        assertEquals(
                Path.of("/etc/wireguard/wg0.key"),
                InterfaceSettings.from(config("privateKeyFile", "/etc/wireguard/wg0.key"), DATA)
                        .privateKeyFile());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "name       | wg 0               | use 1 to 15 letters",
                "name       | wireguard-office-1 | use 1 to 15 letters",
                "name       | -wg0               | use 1 to 15 letters",
                "name       | ..                 | use 1 to 15 letters",
                "name       | wg0/x              | use 1 to 15 letters",
                "listenPort | 70000              | set listenPort to a UDP port from 1 to 65535",
                "listenPort | 0                  | set listenPort to a UDP port from 1 to 65535",
                "listenPort | 5182O              | set listenPort to a UDP port from 1 to 65535",
                "mtu        | 100                | set mtu to a size from 576 to 65535",
                "mtu        | 1420.5             | set mtu to a size from 576 to 65535",
                "addresses  | 10.8.0.300/24      | write each as address/prefix",
                "addresses  | vpn.example.com/24 | write each as address/prefix",
                "addresses  | 10.8.0.1/33        | write each as address/prefix",
                "addresses  | fd00::1/129        | write each as address/prefix",
                "addresses  | 10.8.0.1/x         | write each as address/prefix",
            })
    void aBadValueIsRefusedWithOneMessageNamingTheConfigurationTheKeyAndTheFix(String key, String value, String fix) {
        InterfaceStartException e =
                assertThrows(InterfaceStartException.class, () -> InterfaceSettings.from(config(key, value), DATA));

        String message = e.getMessage();
        assertTrue(message.contains(PID), message);
        assertTrue(message.contains(FILE), message);
        assertTrue(message.contains(": " + key + " "), message);
        assertTrue(message.contains(fix), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void anIpv6AddressNeedsAnMtuOfAtLeast1280() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(config("mtu", "1200", "addresses", "10.8.0.1/24,fd00:8::1/64"), DATA));

        assertTrue(e.getMessage().contains("mtu 1200 is too small for the IPv6 addresses"), e.getMessage());
        assertTrue(InterfaceSettings.from(config("mtu", "1200", "addresses", "10.8.0.1/24"), DATA)
                        .mtu()
                == 1200);
    }

    @Test
    void aConfigurationMadeInTheWebConsoleIsNamedByItsPidAlone() {
        Map<String, Object> props = config("listenPort", "-1");
        props.remove(ConfigurationOrigin.FILEINSTALL_FILENAME);

        InterfaceStartException e =
                assertThrows(InterfaceStartException.class, () -> InterfaceSettings.from(props, DATA));

        assertTrue(
                e.getMessage().startsWith("WireGuard interface not started: configuration " + PID + ": listenPort -1 "),
                e.getMessage());
    }

    // ---- static peers and the wg-quick hooks ------------------------------------------------------

    private static final Key PEER1 = Keys.publicFrom(Keys.generatePrivate());
    private static final Key PEER2 = Keys.publicFrom(Keys.generatePrivate());

    @Test
    void peersInACfgFileAreSeparatedBySemicolonsAndFromTheWebConsoleComeOneAField() {
        List<StaticPeer> fromFile = InterfaceSettings.from(
                        config(
                                "peers",
                                PEER1.toBase64() + " allowed-ips 10.8.0.2/32;" + " " + PEER2.toBase64()
                                        + " allowed-ips 10.8.0.3/32 preshared-key keys/p2.psk;"),
                        DATA)
                .peers();
        List<StaticPeer> fromConsole = InterfaceSettings.from(
                        config("peers", new String[] {
                            PEER1.toBase64() + " allowed-ips 10.8.0.2/32",
                            PEER2.toBase64() + " allowed-ips 10.8.0.3/32" + " preshared-key keys/p2.psk",
                            " "
                        }),
                        DATA)
                .peers();

        List<StaticPeer> expected = List.of(
                new StaticPeer(PEER1, List.of(Cidr.parse("10.8.0.2/32")), null, 0, null),
                new StaticPeer(
                        PEER2,
                        List.of(Cidr.parse("10.8.0.3/32")),
                        null,
                        0,
                        Path.of("/srv/wirehaven/data/keys/p2.psk")));
        assertEquals(expected, fromFile);
        assertEquals(expected, fromConsole);
    }

    @Test
    void theCommandsOfAHookAreOnePerLineInACfgFileOrOnePerFieldFromTheWebConsole() {
        InterfaceSettings fromFile = InterfaceSettings.from(
                config(
                        "postUp",
                        "iptables -A FORWARD -i %i -j ACCEPT\n"
                                + "  iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE; echo done\n\n"),
                DATA);
        InterfaceSettings fromConsole =
                InterfaceSettings.from(config("postDown", List.of("iptables -D FORWARD -i %i -j ACCEPT", "")), DATA);

        assertEquals(
                List.of(
                        "iptables -A FORWARD -i %i -j ACCEPT",
                        "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE; echo done"),
                fromFile.postUp());
        assertEquals(List.of("iptables -D FORWARD -i %i -j ACCEPT"), fromConsole.postDown());
    }

    @Test
    void aBadPeerIsRefusedNamingTheEntryItsPublicKeyAndTheFix() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(
                        config(
                                "peers",
                                PEER1.toBase64() + " allowed-ips 10.8.0.2/32; " + PEER2.toBase64() + " endpoint vpn:0"),
                        DATA));

        assertEquals(
                "WireGuard interface not started: configuration " + PID + " (file " + FILE + "): peers entry 2"
                        + " (peer " + PEER2.toBase64()
                        + "): endpoint 'vpn:0' is not host:port; write e.g. 192.0.2.7:51820,"
                        + " vpn.example.com:51820 or [2001:db8::7]:51820",
                e.getMessage());
    }

    @Test
    void thePublicKeyOfAnEntryIsNamedOnlyWhenItIsOne() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(config("peers", "allowed-ips 10.8.0.2/32"), DATA));

        assertTrue(
                e.getMessage()
                        .endsWith(": peers entry 1: does not start with a peer's public key (44 base64"
                                + " characters ending in '=', what 'wg pubkey' prints)"),
                e.getMessage());
    }

    @Test
    void aPeerListedTwiceIsRefused() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(
                        config(
                                "peers",
                                PEER1.toBase64() + " allowed-ips 10.8.0.2/32; " + PEER1.toBase64()
                                        + " allowed-ips 10.8.0.3/32"),
                        DATA));

        assertTrue(
                e.getMessage()
                        .endsWith(": peers entry 2 (peer " + PEER1.toBase64() + "): the same peer is listed"
                                + " before; merge the two entries into one"),
                e.getMessage());
    }

    // ---- forwarding and masquerade ------------------------------------------------------------

    @Test
    void forwardingAndMasqueradeAreOffUnlessSet() {
        InterfaceSettings s = InterfaceSettings.from(config(), DATA);

        assertFalse(s.forwarding());
        assertEquals(Masquerade.OFF, s.masquerade());
    }

    @Test
    void masqueradeIsAnInterfaceNameOrAutoOrOff() {
        assertEquals(
                Masquerade.via("eth0.100"),
                InterfaceSettings.from(
                                config("forwarding", "true", "masquerade", " eth0.100 ", "addresses", "10.8.0.1/24"),
                                DATA)
                        .masquerade());
        InterfaceSettings auto = InterfaceSettings.from(
                config("forwarding", Boolean.TRUE, "masquerade", "AUTO", "addresses", "10.8.0.1/24"), DATA);
        assertEquals(Masquerade.AUTO, auto.masquerade());
        assertTrue(auto.forwarding());
        for (String off : List.of("", "  ", "false", "off", "none", "no")) {
            assertEquals(
                    Masquerade.OFF,
                    InterfaceSettings.from(config("forwarding", "TRUE", "masquerade", off), DATA)
                            .masquerade(),
                    off);
        }
        assertEquals(
                Masquerade.OFF,
                InterfaceSettings.from(config("forwarding", "false", "masquerade", new String[0]), DATA)
                        .masquerade());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "forwarding | yes          | forwarding 'yes' is neither true nor false; write forwarding = true",
                "forwarding | 1            | forwarding '1' is neither true nor false; write forwarding = true",
                "masquerade | true         | masquerade 'true' does not say through which interface; write the name"
                        + " of the interface toward the internet (e.g. masquerade = eth0), auto for any interface"
                        + " but wg0, or leave it empty for none",
                "masquerade | eth 0        | masquerade 'eth 0' is not an interface name; write the name",
                "masquerade | wg0          | masquerade 'wg0' is this WireGuard interface itself; name the interface"
                        + " through which the traffic leaves the server (e.g. eth0), or write auto",
            })
    void aBadForwardingOrMasqueradeIsRefusedNamingTheFileTheKeyAndTheFix(String key, String value, String expected) {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(
                        config("forwarding", "true", "addresses", "10.8.0.1/24", key, value), DATA));

        assertTrue(
                e.getMessage()
                        .startsWith("WireGuard interface not started: configuration " + PID + " (file " + FILE + "): "
                                + expected),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void masqueradeWithoutForwardingIsRefusedWithTheFix() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(config("masquerade", "eth0", "addresses", "10.8.0.1/24"), DATA));

        assertEquals(
                "WireGuard interface not started: configuration " + PID + " (file " + FILE + "): masquerade 'eth0' is"
                        + " set, but forwarding is not true; set forwarding = true as well (masquerade rewrites the"
                        + " source of forwarded traffic, and without forwarding nothing is forwarded), or leave"
                        + " masquerade empty",
                e.getMessage());
    }

    @Test
    void masqueradeWithoutAddressesIsRefusedWithTheFix() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(config("forwarding", "true", "masquerade", "auto"), DATA));

        assertEquals(
                "WireGuard interface not started: configuration " + PID + " (file " + FILE + "): masquerade 'auto'"
                        + " needs the interface's addresses: it masquerades the traffic whose source is in their"
                        + " subnets; set addresses (e.g. 10.8.0.1/24), or leave masquerade empty",
                e.getMessage());
    }

    @Test
    void masqueradeTakesOneInterface() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> InterfaceSettings.from(
                        config("forwarding", "true", "addresses", "10.8.0.1/24", "masquerade", new String[] {
                            "eth0", "eth1"
                        }),
                        DATA));

        assertTrue(e.getMessage().contains(": masquerade has 2 values, but takes one interface; "), e.getMessage());
    }

    // ---- routes to the peers' subnets -----------------------------------------------------------

    @Test
    void thePeersSubnetsAreRoutedUnlessTurnedOff() {
        assertTrue(InterfaceSettings.from(config(), DATA).routePeerSubnets(), "on by default");
        assertTrue(InterfaceSettings.from(config("routePeerSubnets", " "), DATA).routePeerSubnets());
        assertTrue(
                InterfaceSettings.from(config("routePeerSubnets", "TRUE"), DATA).routePeerSubnets());
        assertFalse(InterfaceSettings.from(config("routePeerSubnets", "false"), DATA)
                .routePeerSubnets());
        assertFalse(InterfaceSettings.from(config("routePeerSubnets", Boolean.FALSE), DATA)
                .routePeerSubnets());
    }

    @Test
    void aBadRoutePeerSubnetsIsRefusedNamingTheFileTheKeyAndTheFix() {
        InterfaceStartException e = assertThrows(
                InterfaceStartException.class, () -> InterfaceSettings.from(config("routePeerSubnets", "no"), DATA));

        assertEquals(
                "WireGuard interface not started: configuration " + PID + " (file " + FILE + "): routePeerSubnets"
                        + " 'no' is neither true nor false; write routePeerSubnets = true (the default) to have the"
                        + " server route the peers' subnets into the interface, or false if you add those routes"
                        + " yourself (postUp)",
                e.getMessage());
    }
}

package dev.wirehaven.wireguard.wgquick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a wg-quick file can be wrong, each reported as file:line: key: what and how to fix. */
class WgQuickParserProblemsTest {

    private static final String PRIV = SeedExamples.SERVER_PRIVATE;
    private static final String PUB = SeedExamples.CLIENT_PUBLIC;

    /** A valid server file whose line 4 (in [Interface]) or line 7 (in [Peer]) is the one under test. */
    private static String withInterfaceLine(String line) {
        return "[Interface]\nPrivateKey = " + PRIV + "\nAddress = 10.0.0.1/24\n" + line + "\n\n[Peer]\nPublicKey = "
                + PUB + "\nAllowedIPs = 10.0.0.2/32\n";
    }

    private static String withPeerLine(String line) {
        return "[Interface]\nPrivateKey = " + PRIV + "\n\n[Peer]\nPublicKey = " + PUB + "\n" + line + "\n";
    }

    static Stream<Arguments> oneProblem() {
        return Stream.of(
                // text, line, key, a part of the message that says what and how
                Arguments.of(
                        "[Interface]\nPrivateKey = " + PRIV + "\njust some words\n",
                        3,
                        null,
                        "neither a [Section] header nor `Key = value`"),
                Arguments.of(
                        "ListenPort = 51820\n[Interface]\nPrivateKey = " + PRIV + "\n",
                        1,
                        "ListenPort",
                        "outside any section; put it under [Interface] or [Peer]"),
                Arguments.of(
                        "[Interface]\nPrivateKey = " + PRIV + "\n[Wireguard]\n",
                        3,
                        "[Wireguard]",
                        "unknown section; wg-quick knows only [Interface] and [Peer]"),
                Arguments.of(
                        "[Interface]\nPrivateKey = " + PRIV + "\n[Interface]\nListenPort = 1\n",
                        3,
                        "[Interface]",
                        "a second [Interface] section (the first is on line 1); merge them"),
                Arguments.of("[Peer]\nPublicKey = " + PUB + "\n", 1, "[Interface]", "no [Interface] section"),
                Arguments.of("", 1, "[Interface]", "no [Interface] section"),
                Arguments.of(
                        "[Interface]\nAddress = 10.0.0.1/24\n",
                        1,
                        "PrivateKey",
                        "missing from [Interface]; add `PrivateKey = ...` and generate one with `wg genkey`"),
                Arguments.of(
                        "[Interface]\nPrivateKey = " + PRIV + "\n[Peer]\nAllowedIPs = 10.0.0.2/32\n",
                        3,
                        "PublicKey",
                        "missing from [Peer]"),
                Arguments.of(
                        withPeerLine("[Peer]\nPublicKey = " + PUB),
                        7,
                        "PublicKey",
                        "the same peer as on line 5; wg(8) would merge the two"),
                Arguments.of(
                        withInterfaceLine("Endpoint = vpn.example.com:51820"),
                        4,
                        "Endpoint",
                        "belongs in a [Peer] section, not in [Interface]; move the line there"),
                Arguments.of(
                        withPeerLine("ListenPort = 51820"),
                        6,
                        "ListenPort",
                        "belongs in a [Interface] section, not in [Peer]"),
                Arguments.of(
                        withInterfaceLine("Jc = 4"),
                        4,
                        "Jc",
                        "unknown key (wg-quick rejects it); [Interface] takes PrivateKey, Address, ListenPort"),
                Arguments.of(
                        withPeerLine("PersistentKeepAlive = 25\nPersistentKeepalive = 20"),
                        7,
                        "PersistentKeepalive",
                        "given twice in this section (first on line 6); keep one"),
                Arguments.of(
                        withInterfaceLine("ListenPort ="),
                        4,
                        "ListenPort",
                        "has no value; give one or remove the line"),
                Arguments.of(withInterfaceLine("PostUp ="), 4, "PostUp", "has no value"),
                Arguments.of(withInterfaceLine("= 5"), 4, null, "neither a [Section] header nor `Key = value`"),
                Arguments.of(withInterfaceLine(PRIV), 4, null, "neither a [Section] header nor `Key = value`"),
                Arguments.of(
                        "[Interface]\nPrivateKey = AAAA\n",
                        2,
                        "PrivateKey",
                        "not a base64 WireGuard key (44 characters ending in '='); generate one with `wg genkey`"),
                Arguments.of(
                        withPeerLine("PresharedKey = " + PUB.substring(0, 43) + "A"),
                        6,
                        "PresharedKey",
                        "not a base64 WireGuard key (44 characters ending in '='); generate one with `wg genpsk`"),
                Arguments.of(
                        "[Interface]\nPrivateKey = " + PRIV + "\n[Peer]\nPublicKey = !!!!" + PUB.substring(4) + "\n",
                        4,
                        "PublicKey",
                        "not a base64 WireGuard key (44 characters ending in '='); generate one with `wg genkey | wg pubkey`"),
                Arguments.of(
                        withInterfaceLine("Address = 10.0.0/24"),
                        4,
                        "Address",
                        "'10.0.0/24' is not an address with a prefix length; write e.g. 10.0.0.2/24"),
                Arguments.of(
                        withInterfaceLine("Address = 10.0.0.300/24"),
                        4,
                        "Address",
                        "'10.0.0.300/24' is not an address"),
                Arguments.of(
                        withInterfaceLine("Address = 10.0.0.1/33"),
                        4,
                        "Address",
                        "'10.0.0.1/33' has prefix length '33'; it must be 0..32"),
                Arguments.of(withInterfaceLine("Address = fd00::1/129"), 4, "Address", "it must be 0..128"),
                Arguments.of(
                        withInterfaceLine("Address = 10.0.0.1/24,"),
                        4,
                        "Address",
                        "an empty item in the list; remove the extra comma"),
                Arguments.of(
                        withInterfaceLine("ListenPort = 65536"),
                        4,
                        "ListenPort",
                        "'65536' is not a UDP port (a whole number 0..65535)"),
                Arguments.of(withInterfaceLine("ListenPort = -1"), 4, "ListenPort", "is not a UDP port"),
                Arguments.of(withInterfaceLine("DNS = 8.8.8"), 4, "DNS", "'8.8.8' is not an IPv4 or IPv6 address"),
                Arguments.of(
                        withInterfaceLine("DNS = fd00:::53"), 4, "DNS", "'fd00:::53' is not an IPv4 or IPv6 address"),
                Arguments.of(
                        withInterfaceLine("DNS = corp example"),
                        4,
                        "DNS",
                        "'corp example' is neither a DNS server address nor a search domain"),
                Arguments.of(
                        withInterfaceLine("MTU = 20"), 4, "MTU", "'20' is not an MTU; WireGuard's default is 1420"),
                Arguments.of(
                        withInterfaceLine("Table = my table"),
                        4,
                        "Table",
                        "write auto, off, a table number or a name from /etc/iproute2/rt_tables"),
                Arguments.of(
                        withInterfaceLine("SaveConfig = yes"),
                        4,
                        "SaveConfig",
                        "'yes' is not a boolean; write true or false"),
                Arguments.of(withInterfaceLine("FwMark = 0x1ffffffff"), 4, "FwMark", "is not a 32-bit firewall mark"),
                Arguments.of(withInterfaceLine("FwMark = mark"), 4, "FwMark", "is not a 32-bit firewall mark"),
                Arguments.of(
                        withPeerLine("AllowedIPs = 10.0.0.2/32, 10.1.0.0/x"),
                        6,
                        "AllowedIPs",
                        "'10.1.0.0/x' has prefix length 'x'; it must be 0..32"),
                Arguments.of(
                        withPeerLine("AllowedIPs = example.com/32"),
                        6,
                        "AllowedIPs",
                        "'example.com/32' is not an IP prefix; write e.g. 10.0.0.0/24"),
                Arguments.of(withPeerLine("AllowedIPs = ,10.0.0.2/32"), 6, "AllowedIPs", "an empty item in the list"),
                Arguments.of(
                        withPeerLine("Endpoint = vpn.example.com"),
                        6,
                        "Endpoint",
                        "has no port; write host:port, e.g. vpn.example.com:51820"),
                Arguments.of(
                        withPeerLine("Endpoint = 2001:db8::1:51820"),
                        6,
                        "Endpoint",
                        "is an IPv6 address without brackets; write [2001:db8::1]:51820"),
                Arguments.of(
                        withPeerLine("Endpoint = [2001:db8::1]51820"),
                        6,
                        "Endpoint",
                        "is not host:port; write an IPv6 endpoint as [2001:db8::1]:51820"),
                Arguments.of(
                        withPeerLine("Endpoint = [example]:51820"),
                        6,
                        "Endpoint",
                        "'example' in brackets is not an IPv6 address"),
                Arguments.of(
                        withPeerLine("Endpoint = vpn.example.com:0"),
                        6,
                        "Endpoint",
                        "'0' is not a UDP port (a whole number 1..65535)"),
                Arguments.of(
                        withPeerLine("Endpoint = 192.0.2.300:51820"),
                        6,
                        "Endpoint",
                        "'192.0.2.300' is not an IPv4 or IPv6 address"),
                Arguments.of(
                        withPeerLine("Endpoint = vpn_!.example:51820"),
                        6,
                        "Endpoint",
                        "'vpn_!.example' is neither an IP address nor a host name"),
                Arguments.of(
                        withPeerLine("PersistentKeepalive = often"),
                        6,
                        "PersistentKeepalive",
                        "'often' is not an interval in seconds; use 25"));
    }

    @ParameterizedTest
    @MethodSource("oneProblem")
    void reportsTheFileLineKeyAndFix(String text, int line, String key, String fragment) {
        WgQuickFormatException e =
                assertThrows(WgQuickFormatException.class, () -> WgQuickParser.parse("wg0.conf", text));

        assertEquals(1, e.problems().size(), e.getMessage());
        WgQuickProblem p = e.problems().get(0);
        assertEquals(new WgQuickProblem("wg0.conf", line, key, p.message()), p);
        assertTrue(p.message().contains(fragment), p.message());
        String prefix = "wg0.conf:" + line + ": " + (key == null ? "" : key + ": ");
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void theMessageIsTheOneFromTheBrief() {
        String text =
                "[Interface]\nPrivateKey = " + PRIV + "\n\n[Peer]\n# the client\n\nPublicKey = 9pPNSftvV8wWnzPt\n";

        WgQuickFormatException e =
                assertThrows(WgQuickFormatException.class, () -> WgQuickParser.parse("wg0.conf", text));

        assertEquals(
                "wg0.conf:7: PublicKey: not a base64 WireGuard key (44 characters ending in '='); "
                        + "generate one with `wg genkey | wg pubkey`",
                e.getMessage());
    }

    @Test
    void collectsEveryProblemInFileOrder() {
        String text = """
                [Interface]
                Address = 10.0.0.1/33, 10.0.0/8
                ListenPort = port
                Colour = blue
                [Peer]
                Endpoint = nowhere
                PersistentKeepalive = -3
                """;

        WgQuickFormatException e =
                assertThrows(WgQuickFormatException.class, () -> WgQuickParser.parse("wg0.conf", text));

        List<String> located =
                e.problems().stream().map(p -> p.line() + " " + p.key()).toList();
        assertEquals(
                List.of(
                        "1 PrivateKey",
                        "2 Address",
                        "2 Address",
                        "3 ListenPort",
                        "4 Colour",
                        "5 PublicKey",
                        "6 Endpoint",
                        "7 PersistentKeepalive"),
                located);
        assertEquals(e.problems().size(), e.getMessage().lines().count(), "one line per problem");
    }

    @Test
    void neverEchoesAKeyNorALineThatMightHoldOne() {
        String privateKeyAlone = "[Interface]\n" + PRIV + "\nPrivateKey = " + PRIV.substring(0, 43) + "\n"
                + "[Peer]\nPublicKey = " + PUB + "\nPresharedKey = " + SeedExamples.PRESHARED + "x\n";

        WgQuickFormatException e =
                assertThrows(WgQuickFormatException.class, () -> WgQuickParser.parse("wg0.conf", privateKeyAlone));

        assertEquals(3, e.problems().size(), e.getMessage());
        assertFalse(e.getMessage().contains(PRIV.substring(0, 20)), e.getMessage());
        assertFalse(e.getMessage().contains(SeedExamples.PRESHARED.substring(0, 20)), e.getMessage());
    }
}

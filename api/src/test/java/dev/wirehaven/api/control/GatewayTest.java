package dev.wirehaven.api.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String URL = "https://gw2.example.com:8443";

    private static Gateway gw(String name, String endpoint, String key, String url) {
        return new Gateway(name, endpoint, key, url);
    }

    private static void refused(String field, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void acceptsNamesIpv4Ipv6AndHostEndpoints() {
        assertEquals(
                "gw2.example.com:51820",
                gw("gw2", "gw2.example.com:51820", KEY, URL).endpoint());
        assertEquals("192.0.2.7:51820", gw("gw2", "192.0.2.7:51820", KEY, URL).endpoint());
        assertEquals(
                "[2001:db8::7]:51820",
                gw("gw2", "[2001:db8::7]:51820", KEY, URL).endpoint());
        assertEquals(URL + "/", gw("node 2", "h:1", KEY, URL + "/").controlUrl());
    }

    @Test
    void aKeyIsStandardBase64OfThirtyTwoBytesInOneSpelling() {
        refused("publicKey", () -> gw("gw2", "h:1", "not-a-key", URL));
        refused("publicKey", () -> gw("gw2", "h:1", Base64.getEncoder().encodeToString(new byte[31]), URL));
        refused("publicKey", () -> gw("gw2", "h:1", null, URL));
    }

    @Test
    void aNameIsShortPrintableAndNotBlank() {
        refused("gateway name", () -> gw("", "h:1", KEY, URL));
        refused("gateway name", () -> gw("   ", "h:1", KEY, URL));
        refused("gateway name", () -> gw("x".repeat(Gateway.MAX_NAME + 1), "h:1", KEY, URL));
        refused("gateway name", () -> gw("gw\u001b[2J", "h:1", KEY, URL));
        refused("gateway name", () -> gw("gw\n2", "h:1", KEY, URL));
    }

    @Test
    void anEndpointIsHostColonPortWithIpv6InBrackets() {
        refused("endpoint", () -> gw("gw2", "2001:db8::7:51820", KEY, URL));
        refused("endpoint", () -> gw("gw2", "[2001:db8::7]51820", KEY, URL));
        refused("endpoint", () -> gw("gw2", "[not-v6]:51820", KEY, URL));
        refused("endpoint", () -> gw("gw2", "gw2.example.com", KEY, URL));
        refused("endpoint", () -> gw("gw2", "gw2.example.com:0", KEY, URL));
        refused("endpoint", () -> gw("gw2", "gw2.example.com:65536", KEY, URL));
        refused("endpoint", () -> gw("gw2", "gw2.example.com:+1", KEY, URL));
        refused("endpoint", () -> gw("gw2", "gw2\r\n.example.com:1", KEY, URL));
        refused("endpoint", () -> gw("gw2", "gw2 example:1", KEY, URL));
        refused("endpoint", () -> gw("gw2", "a".repeat(300) + ":1", KEY, URL));
        refused("endpoint", () -> gw("gw2", null, KEY, URL));
    }

    @Test
    void aControlUrlIsAnAbsoluteHttpsUrlWithoutUserInfoQueryOrFragment() {
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "http://gw2.example.com:8443"));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "gw2.example.com:8443"));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "https://user:pw@gw2.example.com"));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "https://gw2.example.com/?a=b"));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "https://gw2.example.com/#x"));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "https://gw2.exa\u0007mple.com/"));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "https:///nohost"));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, "https://" + "a".repeat(3000)));
        refused("controlUrl", () -> gw("gw2", "h:1", KEY, null));
    }

    @Test
    void aServerConfigListsAtMostSixteenGatewaysAndTheOldConstructorListsNone() {
        List<Gateway> many = new ArrayList<>();
        for (int i = 0; i <= Gateway.MAX_PER_MESSAGE; i++) {
            many.add(gw("gw" + i, "10.0.0." + (i + 1) + ":51820", KEY, "https://10.0.0." + (i + 1) + ":8443"));
        }
        refused("gateways", () -> config(many));
        assertEquals(16, config(many.subList(0, 16)).gateways().size());
        List<Gateway> withNull = new ArrayList<>(many.subList(0, 2));
        withNull.add(null);
        refused("gateways", () -> config(withNull));
        assertEquals(List.of(), config(null).gateways());
        ServerConfig old =
                new ServerConfig(KEY, "h:1", List.of("10.8.0.2/32"), List.of(), List.of(), 1420, List.of(), 0, null);
        assertEquals(List.of(), old.gateways());
    }

    @Test
    void aServerConfigNamesTheGatewayThatCarriesItsTunnelOnlyWithThatGatewaysEndpointAndKey() {
        Gateway carrying = gw("gw2", "h:1", KEY, URL);
        ServerConfig c = new ServerConfig(
                KEY,
                "h:1",
                List.of("10.8.0.2/32"),
                List.of(),
                List.of(),
                1420,
                List.of(),
                0,
                null,
                List.of(),
                carrying);
        assertEquals(carrying, c.gateway());
        refused(
                "is not the endpoint and key",
                () -> new ServerConfig(
                        KEY,
                        "h:2",
                        List.of("10.8.0.2/32"),
                        List.of(),
                        List.of(),
                        1420,
                        List.of(),
                        0,
                        null,
                        List.of(),
                        carrying));
        byte[] other = new byte[32];
        other[0] = 1;
        String otherKey = Base64.getEncoder().encodeToString(other);
        refused(
                "is not the endpoint and key",
                () -> new ServerConfig(
                        otherKey,
                        "h:1",
                        List.of("10.8.0.2/32"),
                        List.of(),
                        List.of(),
                        1420,
                        List.of(),
                        0,
                        null,
                        List.of(),
                        carrying));
        assertEquals(null, config(List.of()).gateway(), "a server before 1.3 names none");
    }

    @Test
    void aPolicyUpdateCarriesTheGatewaysAndTheOldConstructorListsNone() {
        Gateway g = gw("gw2", "h:1", KEY, URL);
        assertEquals(List.of(g), new PolicyUpdate(1, List.of(), List.of(), 0, null, List.of(g)).gateways());
        assertEquals(List.of(), new PolicyUpdate(1, List.of(), List.of(), 0, null).gateways());
        List<Gateway> many = new ArrayList<>();
        for (int i = 0; i <= Gateway.MAX_PER_MESSAGE; i++) {
            many.add(g);
        }
        refused("gateways", () -> new PolicyUpdate(1, List.of(), List.of(), 0, null, many));
    }

    private static ServerConfig config(List<Gateway> gateways) {
        return new ServerConfig(
                KEY, "h:1", List.of("10.8.0.2/32"), List.of(), List.of(), 1420, List.of(), 0, null, gateways);
    }
}

package dev.wirehaven.client.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutePlanTest {

    private static List<Cidr> prefixes(String... p) {
        return java.util.Arrays.stream(p).map(Cidr::parse).toList();
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aSplitTunnelThatLeavesTheServerAloneUsesPlainRoutes() throws Exception {
        RoutePlan plan =
                RoutePlan.of("wh0", prefixes("10.8.0.0/24", "192.168.10.0/24"), List.of(ip("203.0.113.5")), 51820);
        assertFalse(plan.policyRouting());
        assertEquals(
                List.of(
                        new RoutePlan.Step(
                                List.of("-4", "route", "replace", "10.8.0.0/24", "dev", "wh0"),
                                List.of("-4", "route", "del", "10.8.0.0/24", "dev", "wh0")),
                        new RoutePlan.Step(
                                List.of("-4", "route", "replace", "192.168.10.0/24", "dev", "wh0"),
                                List.of("-4", "route", "del", "192.168.10.0/24", "dev", "wh0"))),
                plan.steps());
        assertEquals(List.of(), plan.rules());
    }

    @Test
    void aFullTunnelRoutesIntoItsOwnTableAndKeepsTheServerOutside() throws Exception {
        RoutePlan plan = RoutePlan.of(
                "wh0", prefixes("0.0.0.0/0", "10.8.0.0/24"), List.of(ip("203.0.113.5"), ip("2001:db8::5")), 51821);
        assertTrue(plan.policyRouting());
        List<List<String>> applied =
                plan.steps().stream().map(RoutePlan.Step::apply).toList();
        assertEquals(
                List.of(
                        List.of("-4", "route", "replace", "0.0.0.0/0", "dev", "wh0", "table", "51821"),
                        List.of("-4", "route", "replace", "10.8.0.0/24", "dev", "wh0", "table", "51821"),
                        List.of("-4", "rule", "add", "to", "203.0.113.5/32", "lookup", "main", "pref", "32760"),
                        List.of("-4", "rule", "add", "to", "203.0.113.5/32", "unreachable", "pref", "32761"),
                        List.of("-4", "rule", "add", "lookup", "main", "suppress_prefixlength", "0", "pref", "32762"),
                        List.of("-4", "rule", "add", "lookup", "51821", "pref", "32763")),
                applied,
                "no IPv6 rules without IPv6 routes; the server's IPv6 address needs none");
        assertEquals(
                List.of("-4", "rule", "del", "to", "203.0.113.5/32", "lookup", "main", "pref", "32760"),
                plan.rules().get(0).undo());
    }

    @Test
    void bothFamiliesGetTheirOwnRulesInAFullDualStackTunnel() throws Exception {
        RoutePlan plan = RoutePlan.of("wh0", prefixes("0.0.0.0/0", "::/0"), List.of(ip("2001:db8::5")), 51820);
        List<List<String>> rules =
                plan.rules().stream().map(RoutePlan.Step::apply).toList();
        assertEquals(
                List.of(
                        List.of("-4", "rule", "add", "lookup", "main", "suppress_prefixlength", "0", "pref", "32762"),
                        List.of("-4", "rule", "add", "lookup", "51820", "pref", "32763"),
                        List.of("-6", "rule", "add", "to", "2001:db8::5/128", "lookup", "main", "pref", "32760"),
                        List.of("-6", "rule", "add", "to", "2001:db8::5/128", "unreachable", "pref", "32761"),
                        List.of("-6", "rule", "add", "lookup", "main", "suppress_prefixlength", "0", "pref", "32762"),
                        List.of("-6", "rule", "add", "lookup", "51820", "pref", "32763")),
                rules);
    }

    @Test
    void aSplitTunnelPrefixThatContainsTheServerNeedsPolicyRoutingToo() throws Exception {
        RoutePlan plan = RoutePlan.of("wh0", prefixes("203.0.113.0/24"), List.of(ip("203.0.113.5")), 51820);
        assertTrue(plan.policyRouting());
        assertTrue(plan.steps().stream().anyMatch(s -> s.apply().contains("203.0.113.5/32")));
    }
}

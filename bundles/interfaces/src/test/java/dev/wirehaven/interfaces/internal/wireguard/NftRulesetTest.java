package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact nftables text of an interface's masquerade, as {@code nft -f -} reads it. */
class NftRulesetTest {

    private static List<InterfaceAddress> addresses(String... texts) {
        return Arrays.stream(texts).map(InterfaceAddress::parse).toList();
    }

    @Test
    void ipv4OnlyThroughANamedInterface() {
        assertEquals("""
                table inet wirehaven_wg0
                delete table inet wirehaven_wg0
                table inet wirehaven_wg0 {
                \tchain forward {
                \t\ttype filter hook forward priority filter; policy accept;
                \t\tiifname "wg0" oifname "eth0" accept
                \t\tiifname "eth0" oifname "wg0" ct state established,related accept
                \t}
                \tchain postrouting {
                \t\ttype nat hook postrouting priority srcnat; policy accept;
                \t\toifname "eth0" ip saddr 10.8.0.0/24 masquerade
                \t}
                }
                """, NftRuleset.masquerade("wg0", Masquerade.via("eth0"), addresses("10.8.0.1/24")));
    }

    @Test
    void ipv4AndIpv6ThroughANamedInterfaceOneRulePerSubnetIpv4First() {
        assertEquals(
                """
                table inet wirehaven_wg0
                delete table inet wirehaven_wg0
                table inet wirehaven_wg0 {
                \tchain forward {
                \t\ttype filter hook forward priority filter; policy accept;
                \t\tiifname "wg0" oifname "eth0" accept
                \t\tiifname "eth0" oifname "wg0" ct state established,related accept
                \t}
                \tchain postrouting {
                \t\ttype nat hook postrouting priority srcnat; policy accept;
                \t\toifname "eth0" ip saddr 10.8.0.0/24 masquerade
                \t\toifname "eth0" ip saddr 10.9.0.0/16 masquerade
                \t\toifname "eth0" ip6 saddr fd00:8::/64 masquerade
                \t}
                }
                """,
                NftRuleset.masquerade(
                        "wg0",
                        Masquerade.via("eth0"),
                        addresses("fd00:8::1/64", "10.8.0.1/24", "10.8.0.7/24", "10.9.3.1/16")));
    }

    @Test
    void autoIsAnyInterfaceButTheWireGuardOne() {
        assertEquals(
                """
                table inet wirehaven_wg-office.1
                delete table inet wirehaven_wg-office.1
                table inet wirehaven_wg-office.1 {
                \tchain forward {
                \t\ttype filter hook forward priority filter; policy accept;
                \t\tiifname "wg-office.1" oifname != "wg-office.1" accept
                \t\tiifname != "wg-office.1" oifname "wg-office.1" ct state established,related accept
                \t}
                \tchain postrouting {
                \t\ttype nat hook postrouting priority srcnat; policy accept;
                \t\toifname != "wg-office.1" ip saddr 10.8.0.0/24 masquerade
                \t\toifname != "wg-office.1" ip6 saddr fd00:8::/64 masquerade
                \t}
                }
                """, NftRuleset.masquerade("wg-office.1", Masquerade.AUTO, addresses("10.8.0.1/24", "fd00:8::1/64")));
    }

    @Test
    void deletingWorksWhetherTheTableExistsOrNot() {
        assertEquals("table inet wirehaven_wg0\ndelete table inet wirehaven_wg0\n", NftRuleset.delete("wg0"));
    }

    @Test
    void noRulesetWithoutMasquerade() {
        assertThrows(
                IllegalArgumentException.class,
                () -> NftRuleset.masquerade("wg0", Masquerade.OFF, addresses("10.8.0.1/24")));
    }

    @Test
    void forwardChainsOfOtherTablesWithADropPolicyAreFound() {
        String listChains = """
                # Warning: table ip filter is managed by iptables-nft, do not touch!
                table ip filter {
                \tchain FORWARD {
                \t\ttype filter hook forward priority filter; policy drop;
                \t}
                \tchain DOCKER {
                \t}
                \tchain INPUT {
                \t\ttype filter hook input priority filter; policy drop;
                \t}
                }
                table inet firewalld {
                \tchain filter_FORWARD {
                \t\ttype filter hook forward priority filter + 10; policy accept;
                \t}
                }
                table inet host {
                \tchain fwd {
                \t\ttype filter hook forward priority 0; policy drop;
                \t}
                }
                table inet wirehaven_wg0 {
                \tchain forward {
                \t\ttype filter hook forward priority filter; policy drop;
                \t}
                }
                """;

        assertEquals(
                List.of("table ip filter chain FORWARD", "table inet host chain fwd"),
                NftRuleset.droppingForwardChains(listChains, "wirehaven_wg0"));
    }
}

package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which kernel parameters and which ruleset a configuration asks for, and the bookkeeping of putting
 * them in place and taking them off again: over a directory in place of {@code /proc/sys} and an
 * {@code nft} that only records, so that nothing of the machine's is touched.
 */
class FullTunnelTest {

    private static final String PID = "dev.wirehaven.wireguard.interface~wg0";
    private static final String FILE = "/srv/wirehaven/etc/dev.wirehaven.wireguard.interface-wg0.cfg";
    private static final ConfigurationOrigin ORIGIN = ConfigurationOrigin.of(Map.of(
            "service.pid",
            PID,
            ConfigurationOrigin.FILEINSTALL_FILENAME,
            Path.of(FILE).toUri().toString()));

    private static final Sysctls.Name WG0_4 = Sysctls.Name.forwarding("ipv4", "wg0");
    private static final Sysctls.Name ETH0_4 = Sysctls.Name.forwarding("ipv4", "eth0");
    private static final Sysctls.Name ALL_4 = Sysctls.Name.forwarding("ipv4", "all");
    private static final Sysctls.Name ALL_6 = Sysctls.Name.forwarding("ipv6", "all");
    private static final Sysctls.Name WG0_6F = Sysctls.Name.forceForwarding("wg0");
    private static final Sysctls.Name ETH0_6F = Sysctls.Name.forceForwarding("eth0");

    @TempDir
    Path tmp;

    private MemoryHost host;
    private RecordingNft nft;
    private LogLines log;

    @BeforeEach
    void setUp() {
        host = new MemoryHost(tmp.resolve("run"));
        host.addLink("wg0");
        host.addLink("eth0");
        nft = host.nft();
        log = new LogLines(FullTunnel.class);
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private static InterfaceSettings settings(Object... entries) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", PID);
        props.put("name", "wg0");
        props.put("addresses", "10.8.0.1/24");
        for (int i = 0; i < entries.length; i += 2) {
            props.put((String) entries[i], entries[i + 1]);
        }
        return InterfaceSettings.from(props, Path.of("/srv/wirehaven/data"));
    }

    private FullTunnel tunnel() {
        return new FullTunnel("wg0", host.sysctls(), nft);
    }

    // ---- the plan -------------------------------------------------------------------------------

    @Test
    void withoutForwardingNothingIsTouched() {
        assertEquals(FullTunnel.Plan.NOTHING, FullTunnel.plan(settings(), n -> true));
    }

    @Test
    void forwardingThroughANamedInterfaceUsesThePerInterfaceParametersOnly() {
        FullTunnel.Plan plan = FullTunnel.plan(settings("forwarding", "true", "masquerade", "eth0"), n -> true);

        assertEquals(List.of(WG0_4, ETH0_4), plan.sysctls());
        assertTrue(plan.ruleset().contains("oifname \"eth0\" ip saddr 10.8.0.0/24 masquerade"), plan.ruleset());
        assertEquals(List.of(), plan.warnings());
    }

    @Test
    void autoAndForwardingAloneNeedTheGlobalIpv4Parameter() {
        assertEquals(
                List.of(WG0_4, ALL_4),
                FullTunnel.plan(settings("forwarding", "true", "masquerade", "auto"), n -> true)
                        .sysctls());
        FullTunnel.Plan routed = FullTunnel.plan(settings("forwarding", "true"), n -> true);
        assertEquals(List.of(WG0_4, ALL_4), routed.sysctls());
        assertNull(routed.ruleset(), "no masquerade, no table");
    }

    @Test
    void aNamedInterfaceThatDoesNotExistFallsBackToTheGlobalParameterWithAWarning() {
        FullTunnel.Plan plan =
                FullTunnel.plan(settings("forwarding", "true", "masquerade", "eth0"), n -> !n.equals(ETH0_4));

        assertEquals(List.of(WG0_4, ALL_4), plan.sysctls());
        assertEquals(
                List.of("masquerade names eth0, which does not exist in the server's network namespace (yet): the"
                        + " masquerade applies once it appears, and IPv4 forwarding is on for every interface"
                        + " (net.ipv4.conf.all.forwarding) instead of eth0 alone; check the name (ip link)"),
                plan.warnings());
    }

    @Test
    void ipv6UsesThePerInterfaceForceForwardingWhereTheKernelHasItElseTheGlobalParameter() {
        InterfaceSettings dual =
                settings("forwarding", "true", "masquerade", "eth0", "addresses", "10.8.0.1/24, fd00:8::1/64");

        assertEquals(
                List.of(WG0_4, ETH0_4, WG0_6F, ETH0_6F),
                FullTunnel.plan(dual, n -> true).sysctls());
        assertEquals(
                List.of(WG0_4, ETH0_4, ALL_6),
                FullTunnel.plan(dual, n -> !n.segments().contains("force_forwarding"))
                        .sysctls());
        assertEquals(
                List.of(WG0_4, ALL_4, ALL_6),
                FullTunnel.plan(
                                settings(
                                        "forwarding",
                                        "true",
                                        "masquerade",
                                        "auto",
                                        "addresses",
                                        "10.8.0.1/24, fd00:8::1/64"),
                                n -> true)
                        .sysctls());
    }

    @Test
    void theGlobalParametersAreGivenBackLastAndTheOthersInTheReverseOrder() {
        assertEquals(
                List.of(ETH0_6F, WG0_6F, ETH0_4, WG0_4, ALL_6, ALL_4),
                FullTunnel.releaseOrder(List.of(WG0_4, ALL_4, ETH0_4, ALL_6, WG0_6F, ETH0_6F)));
    }

    // ---- putting it in place and taking it off ------------------------------------------------

    @Test
    void upAndDownRestoresOnlyWhatWasChanged() {
        host.parameter("net/ipv4/conf/eth0/forwarding", "1");
        FullTunnel tunnel = tunnel();
        InterfaceSettings s = settings("forwarding", "true", "masquerade", "eth0");

        assertTrue(tunnel.apply(s, ORIGIN));

        assertEquals("1", host.parameter("net/ipv4/conf/wg0/forwarding"));
        assertEquals("1", host.parameter("net/ipv4/conf/eth0/forwarding"));
        assertEquals("0", host.parameter("net/ipv4/conf/all/forwarding"), "the global switch is not touched");
        assertEquals(
                List.of(new RecordingNft.Call(
                        List.of("-f", "-"), NftRuleset.masquerade("wg0", Masquerade.via("eth0"), s.addresses()))),
                nft.changes());
        assertTrue(
                log.lines()
                        .contains("INFO WireGuard interface wg0: forwarding on (net.ipv4.conf.wg0.forwarding=1 (was 0),"
                                + " net.ipv4.conf.eth0.forwarding=1 (already)); masquerade of 10.8.0.0/24 leaving"
                                + " through eth0 (nftables table inet wirehaven_wg0)"),
                log.lines().toString());
        assertTrue(!tunnel.apply(s, ORIGIN), "the same settings again change nothing");
        nft.clear();

        tunnel.remove();

        assertEquals("0", host.parameter("net/ipv4/conf/wg0/forwarding"), "changed by us: back");
        assertEquals("1", host.parameter("net/ipv4/conf/eth0/forwarding"), "it was 1 before: left at 1");
        assertEquals(
                List.of(new RecordingNft.Call(List.of("-f", "-"), NftRuleset.delete("wg0"))),
                nft.changes(),
                "exactly our table is deleted");
        assertEquals(Map.of(), host.sysctls().held());
        assertTrue(
                log.lines()
                        .contains(
                                "INFO WireGuard interface wg0: forwarding off (net.ipv4.conf.eth0.forwarding left at 1"
                                        + " (its value before), net.ipv4.conf.wg0.forwarding=0 (restored)); nftables table"
                                        + " inet wirehaven_wg0 deleted"),
                log.lines().toString());
    }

    @Test
    void twoInterfacesShareTheGlobalParameterUntilTheLastOneGoes() {
        host.addLink("wg1");
        FullTunnel wg0 = tunnel();
        FullTunnel wg1 = new FullTunnel("wg1", host.sysctls(), nft);
        wg0.apply(settings("forwarding", "true", "masquerade", "auto"), ORIGIN);
        wg1.apply(
                settings("name", "wg1", "forwarding", "true", "masquerade", "auto", "addresses", "10.9.0.1/24"),
                ORIGIN);

        wg0.remove();
        assertEquals("1", host.parameter("net/ipv4/conf/all/forwarding"), "wg1 still forwards");

        wg1.remove();
        assertEquals("0", host.parameter("net/ipv4/conf/all/forwarding"));
        assertEquals(Map.of(), host.sysctls().held());
        assertTrue(
                log.lines()
                        .contains("INFO WireGuard interface wg1: forwarding off (net.ipv4.conf.wg1.forwarding=0"
                                + " (restored), net.ipv4.conf.all.forwarding=0 (restored)); nftables table inet"
                                + " wirehaven_wg1 deleted"),
                log.lines().toString());
    }

    @Test
    void turningTheKeysOffGivesEverythingBackWhileTheInterfaceRuns() {
        FullTunnel tunnel = tunnel();
        tunnel.apply(settings("forwarding", "true", "masquerade", "auto"), ORIGIN);
        nft.clear();

        assertTrue(tunnel.apply(settings("forwarding", "false"), ORIGIN));

        assertEquals("0", host.parameter("net/ipv4/conf/all/forwarding"));
        assertEquals("0", host.parameter("net/ipv4/conf/wg0/forwarding"));
        assertEquals(List.of(new RecordingNft.Call(List.of("-f", "-"), NftRuleset.delete("wg0"))), nft.changes());
        assertNull(tunnel.ruleset());
        assertEquals(List.of(), tunnel.held());
    }

    @Test
    void changingTheOutgoingInterfaceReplacesTheTableInOneStepAndSwapsTheParameters() {
        FullTunnel tunnel = tunnel();
        tunnel.apply(settings("forwarding", "true", "masquerade", "auto"), ORIGIN);
        nft.clear();

        InterfaceSettings viaEth0 = settings("forwarding", "true", "masquerade", "eth0");
        tunnel.apply(viaEth0, ORIGIN);

        assertEquals(
                List.of(new RecordingNft.Call(
                        List.of("-f", "-"), NftRuleset.masquerade("wg0", Masquerade.via("eth0"), viaEth0.addresses()))),
                nft.changes(),
                "no delete: the new text replaces the table");
        assertEquals("0", host.parameter("net/ipv4/conf/all/forwarding"));
        assertEquals("1", host.parameter("net/ipv4/conf/eth0/forwarding"));
        assertEquals(List.of(WG0_4, ETH0_4), tunnel.held());
    }

    @Test
    void aRulesetThatNftRefusesLeavesNothingBehind() {
        nft.failNext("'/usr/sbin/nft -f -' failed (exit 1): Error: Could not process rule: Operation not supported");
        FullTunnel tunnel = tunnel();

        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> tunnel.apply(settings("forwarding", "true", "masquerade", "eth0"), ORIGIN));

        assertEquals(
                "WireGuard interface not started: configuration " + PID + " (file " + FILE + "): masquerade 'eth0'"
                        + " could not be put in place: '/usr/sbin/nft -f -' failed (exit 1): Error: Could not process"
                        + " rule: Operation not supported; the kernel needs nftables with NAT (nf_tables, nft_nat,"
                        + " nft_masq, nft_ct) and the server root or CAP_NET_ADMIN; fix the cause and save the"
                        + " configuration again, or leave masquerade empty",
                e.getMessage());
        assertEquals("0", host.parameter("net/ipv4/conf/wg0/forwarding"), "no forwarding without the masquerade");
        assertEquals(Map.of(), host.sysctls().held());
    }

    @Test
    void aParameterThatCannotBeWrittenUndoesTheOthersAndTheTable() {
        FullTunnel tunnel = tunnel();
        InterfaceSettings dual =
                settings("forwarding", "true", "masquerade", "eth0", "addresses", "10.8.0.1/24, fd00:8::1/64");
        // the kernel has force_forwarding; the last one the plan takes cannot be read (a directory, even for root)
        host.parameter("net/ipv6/conf/wg0/force_forwarding", "0");
        assertTrue(
                tmp.resolve("sys/net/ipv6/conf/eth0/force_forwarding").toFile().mkdirs());

        InterfaceStartException e = assertThrows(InterfaceStartException.class, () -> tunnel.apply(dual, ORIGIN));

        assertTrue(
                e.getMessage()
                        .contains(": forwarding could not be put in place: cannot read"
                                + " net.ipv6.conf.eth0.force_forwarding "),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith("; the server needs root (or CAP_NET_ADMIN in its network namespace) and a"
                                + " writable /proc/sys; fix the cause and save the configuration again, or set forwarding = false and"
                                + " enable forwarding yourself"),
                e.getMessage());
        assertEquals("0", host.parameter("net/ipv4/conf/wg0/forwarding"));
        assertEquals("0", host.parameter("net/ipv4/conf/eth0/forwarding"));
        assertEquals("0", host.parameter("net/ipv6/conf/wg0/force_forwarding"));
        assertEquals(Map.of(), host.sysctls().held());
        assertEquals(
                List.of("-f", "-"), nft.changes().get(nft.changes().size() - 1).args());
        assertEquals(
                NftRuleset.delete("wg0"),
                nft.changes().get(nft.changes().size() - 1).stdin(),
                "the new table is gone again");
        assertNull(tunnel.ruleset());
    }

    @Test
    void aMissingNftIsReportedWithTheKeyAndTheFix() {
        nft.installed(false);

        InterfaceStartException e = assertThrows(
                InterfaceStartException.class,
                () -> tunnel().apply(settings("forwarding", "true", "masquerade", "eth0"), ORIGIN));

        assertEquals(
                "WireGuard interface not started: configuration " + PID + " (file " + FILE + "): masquerade 'eth0'"
                        + " needs nftables' nft program, which is not installed (looked for /usr/sbin/nft, /sbin/nft,"
                        + " /usr/bin/nft, /bin/nft); install nftables (apt-get install nftables, dnf install"
                        + " nftables), or leave masquerade empty",
                e.getMessage());
        assertEquals(List.of(), nft.changes());
        assertEquals(Map.of(), host.sysctls().held());
    }

    @Test
    void aForwardChainOfAnotherTableThatDropsIsAWarning() {
        nft.listChainsPrints("table ip filter {\n\tchain FORWARD {\n\t\ttype filter hook forward priority filter;"
                + " policy drop;\n\t}\n}\n");

        tunnel().apply(settings("forwarding", "true", "masquerade", "eth0"), ORIGIN);

        assertTrue(
                log.lines().stream()
                        .anyMatch(l -> l.startsWith("WARN WireGuard interface wg0: the forward hook also has table ip"
                                + " filter chain FORWARD with policy drop; ")),
                log.lines().toString());
    }
}

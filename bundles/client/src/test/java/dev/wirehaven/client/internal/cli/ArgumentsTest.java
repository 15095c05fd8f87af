package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.AccessProtocol;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgumentsTest {

    private static final Path CONFIG = Path.of("/home/alice/.config/wirehaven-client");
    private static final String FP = "AB:".repeat(31) + "AB";

    private static Arguments.Invocation parse(String... args) throws Arguments.UsageException {
        return Arguments.parse(args, CONFIG, "laptop");
    }

    private static String refusal(String... args) {
        return assertThrows(Arguments.UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void connectTakesEveryOptionOfThePlan() throws Exception {
        Arguments.Invocation i = parse(
                "connect",
                "--server",
                "https://vpn.example.com:8443",
                "--user",
                "alice",
                "--password-file",
                "/run/pw",
                "--fingerprint",
                FP.toLowerCase(),
                "--interface",
                "wh1",
                "--device",
                "lab",
                "--config-dir",
                "/etc/wh");
        assertEquals(
                new Arguments.Connect(
                        URI.create("https://vpn.example.com:8443"),
                        "alice",
                        Path.of("/run/pw"),
                        FP,
                        "wh1",
                        "lab",
                        Path.of("/etc/wh")),
                i);
    }

    @Test
    void aBranchAdvertisesTheLiteralPrefixesOfItsLanAndNothingElse() throws Exception {
        Arguments.Invocation i = parse(
                "connect",
                "--server",
                "https://vpn.example.com:8443",
                "--user",
                "branch1",
                "--advertise",
                "192.168.30.0/24,fd00:30::/64");

        assertEquals(List.of("192.168.30.0/24", "fd00:30::/64"), ((Arguments.Connect) i).advertise());
        Arguments.UsageException e = assertThrows(
                Arguments.UsageException.class,
                () -> parse(
                        "connect",
                        "--server",
                        "https://vpn.example.com:8443",
                        "--user",
                        "branch1",
                        "--advertise",
                        "branch.example"));
        assertTrue(e.getMessage().contains("not an IP prefix"), e.getMessage());
    }

    @Test
    void aKeyFingerprintIsTakenInTheFormTheClientPrintsIt() throws Exception {
        String key = "SHA256:" + "A".repeat(42) + "E";
        Arguments.Connect c = (Arguments.Connect)
                parse("connect", "--server", "https://vpn.example.com:8443", "--user", "a", "--fingerprint", key);
        assertEquals(key, c.fingerprint());
    }

    @Test
    void connectDefaultsToWh0TheHostNameAndTheUsersConfigDirectory() throws Exception {
        Arguments.Connect c = (Arguments.Connect) parse("connect", "--server=https://10.0.0.1:8443", "--user=bob");
        assertEquals("wh0", c.iface());
        assertEquals("laptop", c.device());
        assertEquals(CONFIG, c.configDir());
        assertNull(c.passwordFile());
        assertNull(c.fingerprint());
    }

    @Test
    void statusAndDisconnectTakeOnlyTheInterface() throws Exception {
        assertEquals(new Arguments.Status("wh0"), parse("status"));
        assertEquals(new Arguments.Disconnect("wh7"), parse("disconnect", "--interface", "wh7"));
        assertTrue(refusal("status", "--server", "https://a:1").contains("unknown option '--server' for status"));
    }

    @Test
    void exportNeedsAnOutputAndTakesAQrFile() throws Exception {
        assertEquals(
                "--output is required (for example --output phone.conf)",
                refusal("export", "--server", "https://a.example:8443", "--user", "alice"));
        Arguments.Export e = (Arguments.Export) parse(
                "export",
                "--server",
                "https://a.example:8443",
                "--user",
                "alice",
                "--output",
                "phone.conf",
                "--qr",
                "phone.png");
        assertEquals(Path.of("phone.conf"), e.output());
        assertEquals(Path.of("phone.png"), e.qr());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "connect --user alice                                      | --server is required (for example --server https://vpn.example.com:8443)",
                "connect --server https://a.example:8443                   | --user is required",
                "connect --server http://a.example:8080 --user a           | must be an https URL with a host",
                "connect --server https://a.example:8443/api --user a      | must be only https://HOST:PORT",
                "connect --server https://a.example:8443 --user a --fingerprint AB:CD | --fingerprint: 'AB:CD' is not a SHA-256 fingerprint",
                "connect --server https://a.example:8443 --user a --interface this-name-is-too-long | is not an interface name",
                "connect --server https://a.example:8443 --user a --user b | --user is given twice",
                "connect --server https://a.example:8443 --user            | --user needs a value",
                "connect --server https://a.example:8443 --user a --verbose x | unknown option '--verbose' for connect",
                "connect --server https://a.example:8443 --user a extra    | unexpected argument 'extra'",
                "launch                                                    | unknown command 'launch'",
            })
    void mistakesAreNamedWithTheFix(String line, String expected) {
        String message = refusal(line.trim().split("\\s+"));
        assertTrue(message.contains(expected.trim()), message);
    }

    @Test
    void accessTakesHostColonPortAsTcpOnWh0ByDefault() throws Exception {
        assertEquals(new Arguments.Access("wh0", "10.20.0.5", 22, AccessProtocol.TCP), parse("access", "10.20.0.5:22"));
        assertEquals(
                new Arguments.Access("wh0", "db.corp.example", 5432, AccessProtocol.TCP),
                parse("access", "db.corp.example:5432"));
    }

    @Test
    void accessTakesAnIpv6AddressInBracketsBeforeThePort() throws Exception {
        assertEquals(new Arguments.Access("wh0", "fd00::5", 22, AccessProtocol.TCP), parse("access", "[fd00::5]:22"));
    }

    @Test
    void accessTakesUdpAndTheInterfaceInAnyOrder() throws Exception {
        Arguments.Access expected = new Arguments.Access("wh1", "ns.corp.example", 53, AccessProtocol.UDP);
        assertEquals(expected, parse("access", "--udp", "ns.corp.example:53", "--interface", "wh1"));
        assertEquals(expected, parse("access", "--interface=wh1", "ns.corp.example:53", "--udp"));
    }

    @Test
    void accessWithIcmpTakesTheHostAloneAsAddressNameOrBracketedIpv6() throws Exception {
        assertEquals(
                new Arguments.Access("wh0", "10.20.0.5", 0, AccessProtocol.ICMP),
                parse("access", "--icmp", "10.20.0.5"));
        assertEquals(
                new Arguments.Access("wh0", "fd00::5", 0, AccessProtocol.ICMP), parse("access", "fd00::5", "--icmp"));
        assertEquals(
                new Arguments.Access("wh0", "fd00::5", 0, AccessProtocol.ICMP), parse("access", "--icmp", "[fd00::5]"));
        assertEquals(
                new Arguments.Access("wh0", "gw.corp.example", 0, AccessProtocol.ICMP),
                parse("access", "--icmp", "gw.corp.example"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "access                          | name the resource, HOST:PORT (for example access 10.20.0.5:22",
                "access --icmp                   | name the resource, HOST (for example access --icmp 10.20.0.5)",
                "access a:1 b:2                  | give one resource; 'b:2' is one too many",
                "access 10.20.0.5                | '10.20.0.5' has no port: write HOST:PORT, such as 10.20.0.5:22 (or --icmp for ping)",
                "access fd00::5:22               | write an IPv6 address in brackets with the port after them, such as [fd00::5]:22",
                "access [fd00::5]                | '[fd00::5]' has no port: write [ADDRESS]:PORT",
                "access [fd00::5]22              | '[fd00::5]22' has no port",
                "access [db.example]:22          | '[db.example]:22' does not hold an IPv6 address in its brackets",
                "access host:0                   | the port of 'host:0' is not a number in 1..65535",
                "access host:65536               | the port of 'host:65536' is not a number in 1..65535",
                "access host:ssh                 | the port of 'host:ssh' is not a number in 1..65535",
                "access host:                    | the port of 'host:' is not a number in 1..65535",
                "access bad!host:22              | 'bad!host' is not a host name or an IP address",
                "access a..b:22                  | 'a..b' is not a host name or an IP address",
                "access :22                      | '' is not a host name or an IP address",
                "access --icmp 10.20.0.5:22      | --icmp takes the host alone, without a port: '10.20.0.5:22' (for example --icmp 10.20.0.5)",
                "access --icmp [fd00::5]:22      | --icmp takes the host alone, without a port",
                "access --udp --icmp a:1         | --udp and --icmp exclude each other",
                "access --udp --udp a:1          | --udp is given twice",
                "access --udp=yes a:1            | --udp takes no value",
                "access --server https://a:1 a:1 | unknown option '--server' for access",
            })
    void accessMistakesAreNamedWithTheFix(String line, String expected) {
        String message = refusal(line.trim().split("\\s+"));
        assertTrue(message.contains(expected.trim()), message);
    }

    @Test
    void aResourceWithControlCharactersIsRefusedAndShownEscaped() {
        String message = refusal("access", "evil\u001b[2J.example:22");
        assertEquals("'evil<U+001B>[2J.example:22' is not a resource: it has blanks or control characters", message);
    }

    @Test
    void helpIsAvailableInEveryForm() throws Exception {
        assertEquals(new Arguments.Help(null), parse("--help"));
        assertEquals(new Arguments.Help("export"), parse("help", "export"));
        assertEquals(new Arguments.Help("connect"), parse("connect", "--help"));
        assertEquals(new Arguments.Help("status"), parse("status", "-h"));
    }
}

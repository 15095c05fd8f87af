package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
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
    void helpIsAvailableInEveryForm() throws Exception {
        assertEquals(new Arguments.Help(null), parse("--help"));
        assertEquals(new Arguments.Help("export"), parse("help", "export"));
        assertEquals(new Arguments.Help("connect"), parse("connect", "--help"));
        assertEquals(new Arguments.Help("status"), parse("status", "-h"));
    }
}

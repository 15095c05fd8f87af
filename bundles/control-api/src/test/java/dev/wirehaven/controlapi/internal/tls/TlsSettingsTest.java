package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.controlapi.internal.tls.TlsSettings.Generated;
import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorKeystore;
import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorPem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    private static final Path DATA = Path.of("/opt/wirehaven/data");

    private static Map<String, Object> file(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", TlsSettings.PID);
        properties.put(ConfigOrigin.FILEINSTALL_FILENAME, "file:/opt/wirehaven/etc/dev.wirehaven.server.tls.cfg");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    void withoutConfigurationTheServerUsesItsOwnCertificateOnAllAddresses() {
        TlsSettings settings = TlsSettings.from(Map.of(), 8443, DATA);

        assertEquals(8443, settings.port());
        assertEquals("0.0.0.0", settings.host());
        assertEquals(new Generated(List.of()), settings.identity());
    }

    @Test
    void theAcceptQueueHoldsAThousandConnectionsUnlessConfigured() {
        assertEquals(1024, TlsSettings.from(Map.of(), 8443, DATA).backlog());
        assertEquals(4096, TlsSettings.from(file("backlog", "4096"), 8443, DATA).backlog());
    }

    @Test
    void aBadAcceptQueueNamesTheKeyAndTheFix() {
        TlsStartException e =
                assertThrows(TlsStartException.class, () -> TlsSettings.from(file("backlog", "0"), 8443, DATA));

        assertTrue(
                e.getMessage()
                        .contains(": backlog 0 is out of range; set backlog to the number of connections"
                                + " that may wait to be accepted, from 1 to 65535 (default 1024"),
                e.getMessage());
    }

    @Test
    void thePortDefaultsToTheFrameworkPropertyFromWirehavenHttpsPort() {
        assertEquals(
                9443,
                TlsSettings.from(Map.of(), TlsSettings.defaultPort("9443"), DATA)
                        .port());
        assertEquals(8443, TlsSettings.defaultPort(null));
        assertEquals(
                7443,
                TlsSettings.from(file("port", "7443"), TlsSettings.defaultPort("9443"), DATA)
                        .port());
    }

    @Test
    void aBadEnvironmentPortNamesTheVariable() {
        TlsStartException e = assertThrows(TlsStartException.class, () -> TlsSettings.defaultPort("84x3"));

        assertTrue(e.getMessage().contains("WIREHAVEN_HTTPS_PORT"), e.getMessage());
    }

    @Test
    void aBadPortNamesTheFileTheKeyAndTheFix() {
        TlsStartException e =
                assertThrows(TlsStartException.class, () -> TlsSettings.from(file("port", "70000"), 8443, DATA));

        assertEquals(
                "HTTPS not started: configuration dev.wirehaven.server.tls (file"
                        + " /opt/wirehaven/etc/dev.wirehaven.server.tls.cfg): port 70000 is out of range; set port to a TCP"
                        + " port from 1 to 65535 (default 8443)",
                e.getMessage());
    }

    @Test
    void namesAreReadFromOneCommaSeparatedLineOrAnArray() {
        assertEquals(
                new Generated(List.of("vpn.example.com", "192.0.2.10", "2001:db8::1")),
                TlsSettings.from(file("names", "vpn.example.com, 192.0.2.10,2001:db8::1"), 8443, DATA)
                        .identity());
        assertEquals(
                new Generated(List.of("vpn.example.com", "192.0.2.10")),
                TlsSettings.from(file("names", new String[] {"vpn.example.com", "192.0.2.10"}), 8443, DATA)
                        .identity());
    }

    @Test
    void aNameThatIsNeitherDnsNorIpIsRefused() {
        TlsStartException e = assertThrows(
                TlsStartException.class,
                () -> TlsSettings.from(file("names", "vpn.example.com, bad_name!"), 8443, DATA));

        assertTrue(
                e.getMessage().contains(": names entry 'bad_name!' is neither an IP address nor a DNS name"),
                e.getMessage());
    }

    @Test
    void aKeystoreIsTheOperatorsAndRelativeToTheDataDirectory() {
        TlsSettings settings = TlsSettings.from(file("keystore", "tls/own.p12", "keystore.password", "pw"), 8443, DATA);

        OperatorKeystore keystore = assertInstanceOf(OperatorKeystore.class, settings.identity());
        assertEquals(DATA.resolve("tls/own.p12"), keystore.file());
        assertEquals("pw", keystore.password());
        assertTrue(
                !settings.toString().contains("pw]") && !keystore.toString().contains("pw"),
                "the password never reaches a log line");
    }

    @Test
    void pemFilesNeedBothCertificateAndKey() {
        assertInstanceOf(
                OperatorPem.class,
                TlsSettings.from(file("certificate", "/etc/ssl/vpn.pem", "privateKey", "/etc/ssl/vpn.key"), 8443, DATA)
                        .identity());

        TlsStartException e = assertThrows(
                TlsStartException.class, () -> TlsSettings.from(file("certificate", "/etc/ssl/vpn.pem"), 8443, DATA));
        assertTrue(e.getMessage().contains(": privateKey is missing; set both certificate"), e.getMessage());
    }

    @Test
    void aKeystoreAndPemFilesTogetherAreRefused() {
        TlsStartException e = assertThrows(
                TlsStartException.class,
                () -> TlsSettings.from(
                        file("keystore", "a.p12", "certificate", "b.pem", "privateKey", "b.key"), 8443, DATA));

        assertTrue(e.getMessage().contains("keystore is set together with certificate"), e.getMessage());
    }

    @Test
    void namesWithTheOperatorsCertificateAreRefusedBecauseTheyWouldNotApply() {
        TlsStartException e = assertThrows(
                TlsStartException.class,
                () -> TlsSettings.from(file("keystore", "a.p12", "names", "vpn.example.com"), 8443, DATA));

        assertTrue(e.getMessage().contains("names only applies to the server's own certificate"), e.getMessage());
    }

    @Test
    void aHostMustBeAnAddressOrName() {
        assertEquals(
                "192.0.2.10",
                TlsSettings.from(file("host", "192.0.2.10"), 8443, DATA).host());
        assertThrows(TlsStartException.class, () -> TlsSettings.from(file("host", "0.0.0.0:8443"), 8443, DATA));
    }
}

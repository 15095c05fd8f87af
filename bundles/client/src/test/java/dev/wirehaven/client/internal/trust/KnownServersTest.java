package dev.wirehaven.client.internal.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownServersTest {

    @TempDir
    Path dir;

    private final Fingerprint one =
            Fingerprint.ofKey(TestCertificates.selfSigned("one").certificate());
    private final Fingerprint two =
            Fingerprint.ofKey(TestCertificates.selfSigned("two").certificate());

    @Test
    void anUnknownServerHasNoFingerprintAndNoFileIsNeeded() throws IOException {
        KnownServers known = new KnownServers(dir.resolve("none/known_servers"));
        assertEquals(Optional.empty(), known.lookup(new ServerAddress("vpn.example.com", 8443)));
    }

    @Test
    void recordsOneFingerprintPerHostAndPort() throws IOException {
        KnownServers known = new KnownServers(dir.resolve("known_servers"));
        known.record(new ServerAddress("VPN.example.com", 8443), one);
        known.record(new ServerAddress("vpn.example.com", 9443), two);
        known.record(new ServerAddress("[2001:db8::1]", 8443), two);

        assertEquals(Optional.of(one), known.lookup(new ServerAddress("vpn.example.com", 8443)));
        assertEquals(Optional.of(two), known.lookup(new ServerAddress("vpn.example.com", 9443)));
        assertEquals(Optional.of(two), known.lookup(new ServerAddress("2001:db8::1", 8443)));
        assertEquals(
                List.of("vpn.example.com:8443 " + one, "vpn.example.com:9443 " + two, "[2001:db8::1]:8443 " + two),
                Files.readAllLines(known.file()));
    }

    @Test
    void replacingAnEntryKeepsCommentsAndTheOtherServers() throws IOException {
        Path file = dir.resolve("known_servers");
        Files.write(file, List.of("# my servers", "a.example:8443 " + one, "", "b.example:8443 " + one));
        KnownServers known = new KnownServers(file);
        known.record(new ServerAddress("a.example", 8443), two);
        assertEquals(
                List.of("# my servers", "a.example:8443 " + two, "", "b.example:8443 " + one),
                Files.readAllLines(file));
    }

    @Test
    void aLineOfAnOlderClientWithACertificateFingerprintIsStillRead() throws IOException {
        Fingerprint certificate =
                Fingerprint.ofCertificate(TestCertificates.selfSigned("old").certificate());
        Path file = dir.resolve("known_servers");
        Files.write(file, List.of("a.example:8443 " + certificate.hex()));
        Optional<Fingerprint> pin = new KnownServers(file).lookup(new ServerAddress("a.example", 8443));
        assertEquals(certificate.hex(), pin.orElseThrow().toString());
        assertEquals(false, pin.get().isKey());
    }

    @Test
    void aDamagedLineIsAnErrorNotAnUnknownServer() throws IOException {
        Path file = dir.resolve("known_servers");
        Files.write(file, List.of("a.example:8443 " + one, "b.example:8443 not-a-fingerprint"));
        IOException e = assertThrows(
                IOException.class, () -> new KnownServers(file).lookup(new ServerAddress("c.example", 8443)));
        assertTrue(e.getMessage().startsWith(file + ":2: cannot read this line"), e.getMessage());
    }

    @Test
    void theFileAndANewDirectoryAreOwnerOnly() throws IOException {
        Path file = dir.resolve("fresh/known_servers");
        new KnownServers(file).record(new ServerAddress("a.example", 8443), one);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }
}

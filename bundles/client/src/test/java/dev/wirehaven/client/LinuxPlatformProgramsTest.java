package dev.wirehaven.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.client.testing.Planted;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The programs the client runs as root ({@code ip}, {@code resolvconf}) come from the system's own
 * directories, never from {@code PATH}: a directory early on a root shell's {@code PATH} that someone
 * else can write (a project's {@code bin}, {@code .}) must not decide what runs. A child JVM runs with a
 * {@code PATH} whose first directory holds a planted {@code ip} and {@code resolvconf}, and configures an
 * interface that does not exist: the system's {@code ip} refuses that, the planted one would have run.
 */
class LinuxPlatformProgramsTest {

    @TempDir
    Path dir;

    @Test
    void neverRunsAnIpOrResolvconfFoundOnPath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip"))
                || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip"))
                || Files.isExecutable(Path.of("/bin/ip")));
        Path marker = dir.resolve("ran");
        Planted.program(dir.resolve("bin/ip"), marker);
        Planted.program(dir.resolve("bin/resolvconf"), marker);
        ProcessBuilder b = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        dir.toString())
                .redirectErrorStream(true);
        b.environment().put("PATH", dir.resolve("bin") + ":/usr/sbin:/usr/bin:/sbin:/bin");
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), output);
        assertFalse(Files.exists(marker), "a program from PATH was run: " + output);
    }

    /** Configures interface {@code whpath0} (which does not exist) with DNS, as connect would. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            LinuxPlatform platform = LinuxPlatform.builder()
                    .runDirectory(dir.resolve("run"))
                    .resolvConf(dir.resolve("resolv.conf"))
                    .uapiDirectory(null)
                    .build();
            NetworkSettings settings = new NetworkSettings(
                    List.of(InterfaceAddress.parse("10.8.0.2/32")),
                    1420,
                    List.of(Cidr.parse("10.8.0.0/24")),
                    List.of(InetAddress.getByName("10.8.0.1")),
                    List.of("corp.example"),
                    List.of(InetAddress.getByName("203.0.113.5")));
            try (HostNetwork n = platform.configure("whpath0", settings)) {
                System.out.println("configured: " + n.settings());
            } catch (Exception e) {
                System.out.println("refused: " + e.getMessage()); // expected: no interface whpath0
            }
        }
    }
}

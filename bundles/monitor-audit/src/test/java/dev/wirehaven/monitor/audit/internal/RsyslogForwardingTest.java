package dev.wirehaven.monitor.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit sink against a real syslog daemon: Debian's rsyslogd with a throwaway configuration
 * (UDP and TCP inputs on free loopback ports, every message written to a file with the fields a SIEM
 * keys on). Skipped where rsyslogd is not installed, unless {@code WIREHAVEN_REQUIRE_RSYSLOG=1}.
 */
class RsyslogForwardingTest {

    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final Duration ARRIVAL = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Process rsyslogd;
    private int udpPort;
    private int tcpPort;
    private Path received;

    @BeforeEach
    void startRsyslog() throws Exception {
        boolean installed = Files.isExecutable(RSYSLOGD);
        if (!installed && "1".equals(System.getenv("WIREHAVEN_REQUIRE_RSYSLOG"))) {
            throw new IllegalStateException(
                    "WIREHAVEN_REQUIRE_RSYSLOG=1 but no " + RSYSLOGD + ": apt-get install rsyslog");
        }
        Assumptions.assumeTrue(installed, "no rsyslogd: apt-get install rsyslog to test syslog forwarding");
        udpPort = freePort();
        tcpPort = freePort();
        received = dir.resolve("received.log");
        Path work = Files.createDirectories(dir.resolve("work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "global(workDirectory=\"" + work + "\")",
                        "module(load=\"imudp\")",
                        "module(load=\"imtcp\")",
                        "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + udpPort + "\")",
                        "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tcpPort + "\")",
                        "template(name=\"fields\" type=\"string\""
                                + " string=\"%app-name%|%msgid%|%syslogfacility%|%syslogseverity%|%msg%\\n\")",
                        "*.* action(type=\"omfile\" file=\"" + received + "\" template=\"fields\")",
                        ""));
        rsyslogd = new ProcessBuilder(
                        RSYSLOGD.toString(),
                        "-n",
                        "-f",
                        conf.toString(),
                        "-i",
                        dir.resolve("pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
        // ready when its TCP input accepts
        long until = System.nanoTime() + ARRIVAL.toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > until || !rsyslogd.isAlive()) {
                    throw new IllegalStateException(
                            "rsyslogd did not start: " + Files.readString(dir.resolve("rsyslogd.out")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterEach
    void stopRsyslog() throws InterruptedException {
        if (rsyslogd != null) {
            rsyslogd.destroy();
            rsyslogd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static SecurityEvent event(String user) throws IOException {
        return new SecurityEvent(
                SecurityEvent.AUTH_FAILURE,
                Severity.HIGH,
                Instant.now(),
                user,
                InetAddress.getByName("192.0.2.9"),
                "bad password");
    }

    private String awaitLine(String containing) throws Exception {
        long until = System.nanoTime() + ARRIVAL.toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(received)) {
                for (String line : Files.readAllLines(received, StandardCharsets.UTF_8)) {
                    if (line.contains(containing)) {
                        return line;
                    }
                }
            }
            Thread.sleep(100); // waiting on another process's file; there is no clock to inject
        }
        throw new AssertionError("rsyslogd did not write '" + containing + "': "
                + (Files.exists(received) ? Files.readString(received) : "(no file)"));
    }

    private void forwardsOverAndArrivesWhole(String transport, int port) throws Exception {
        AuditSink sink = new AuditSink(
                dir.resolve("data-" + transport),
                new TestConfig(transport + "://127.0.0.1:" + port),
                Clock.systemUTC());
        String user = "alice-" + transport;
        sink.securityEvent(event(user));
        String line = awaitLine(user);
        sink.deactivate();
        String[] f = line.split("\\|", 5);
        assertEquals("wirehaven", f[0], line);
        assertEquals("auth.failure", f[1], line);
        assertEquals("10", f[2], line); // facility authpriv
        assertEquals("3", f[3], line); // HIGH is error
        Files.writeString(dir.resolve("msg.json"), f[4]);
        assertEquals(user, AuditRecordTest.fields(f[4].strip()).get("user"), line);
        // the same record is in the local audit file
        List<String> local = Files.readAllLines(dir.resolve("data-" + transport).resolve("audit/audit.log"));
        assertEquals(1, local.size());
        assertEquals(f[4].strip(), local.get(0));
    }

    @Test
    void recordsReachRsyslogOverUdp() throws Exception {
        forwardsOverAndArrivesWhole("udp", udpPort);
    }

    @Test
    void recordsReachRsyslogOverTcpWithOctetCounting() throws Exception {
        forwardsOverAndArrivesWhole("tcp", tcpPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

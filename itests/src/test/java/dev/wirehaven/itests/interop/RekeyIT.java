package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Rekeying against wireguard-go under steady traffic: after REKEY_AFTER_TIME (120 s) a new
 * handshake replaces the session and the traffic goes on (without it, REJECT_AFTER_TIME would cut
 * it at 180 s). It takes almost three minutes, so it runs only with {@code -Dwirehaven.slow=true}.
 *
 * <pre>
 *   namespace A: wireguard-go                     namespace B: wirehaven-wg (under test)
 *  +-------------------------------+             +-------------------------------+
 *  | veth0  198.18.0.1/24          |=== veth ====| veth0  198.18.0.2/24          |
 *  | wgaN   198.19.0.1/24          |  <- ping -- | wgbN   198.19.0.2/24          |
 *  +-------------------------------+  every 0.5s +-------------------------------+
 * </pre>
 */
class RekeyIT {

    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    private final WgSide.Implementation underTest = WgSide.Implementation.underTest();
    private Topology net;
    private Path logDir;

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("wirehaven.slow"), "slow test: run with -Dwirehaven.slow=true");
        Topology.assumeRunnable(underTest);
        logDir = Topology.logDir(getClass(), test.getTestMethod().orElseThrow().getName());
        net = Topology.create(underTest, logDir);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aSessionIsRekeyedAfterTwoMinutesWithoutInterruptingTraffic() throws IOException {
        net.configureA(Topology.B_UNDER4 + ":" + Topology.B_PORT);
        net.configureB(Topology.A_UNDER4 + ":" + Topology.A_PORT);
        assertTrue(Topology.ping(net.nsB, Topology.A_TUN4, 2, 20), "first handshake\n" + net.logs());
        long first = net.b.peer(net.a.publicKey).latestHandshake();

        // 330 pings at 0.5 s: 165 s, past REKEY_AFTER_TIME and up to just before REJECT_AFTER_TIME
        Command.Result ping =
                net.nsB.exec(240, Map.of(), "ping", "-q", "-c", "330", "-i", "0.5", "-W", "2", Topology.A_TUN4);
        Files.writeString(logDir.resolve("ping.txt"), ping.stdout() + ping.stderr());
        Matcher m = PING_SUMMARY.matcher(ping.stdout());
        assertTrue(m.find(), "ping summary: " + ping.stdout());
        int sent = Integer.parseInt(m.group(1));
        int received = Integer.parseInt(m.group(2));

        long ours = net.b.peer(net.a.publicKey).latestHandshake();
        long theirs = net.a.peer(net.b.publicKey).latestHandshake();
        assertTrue(
                ours >= first + 120,
                "a new handshake after 120 s: first " + first + ", now " + ours + "\n" + net.logs());
        assertTrue(Math.abs(theirs - ours) <= 2, "wireguard-go saw the same handshake: " + theirs + " vs " + ours);
        assertTrue(
                received >= sent - 2,
                "traffic went on across the rekey: " + received + " of " + sent + " pings answered");
    }
}

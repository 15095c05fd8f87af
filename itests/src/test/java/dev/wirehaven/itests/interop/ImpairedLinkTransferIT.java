package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A gigabyte through the tunnel over a link that loses and reorders datagrams, with the batched UDP
 * path (recvmmsg/sendmmsg, GSO/GRO) and the TUN offloads in use on our side:
 *
 * <pre>
 *   namespace A: ours or wireguard-go           namespace B: wirehaven-wg
 *  +------------------------------+            +--------------------------------------------------+
 *  | veth0 198.18.0.1             |== veth ====| veth0 198.18.0.2:51900 ImpairedLink 127.0.0.1:51901|
 *  | wga   198.19.0.1 :51820 -----|- tunnel ---|-> (loss 0.5 %, reordering 2 %) ----> :51821 wgb   |
 *  +------------------------------+            +--------------------------------------------------+
 * </pre>
 *
 * Both directions of the relay lose and reorder; TCP inside repairs the loss, our replay window must
 * accept what arrives late and in a different order, and every byte must arrive as sent (SHA-256 at
 * both ends). Nothing is timed. {@code tc netem} would be the usual tool; this machine's kernel has no
 * sch_netem, so the impairment is {@link ImpairedLink}, a relay in B's namespace.
 */
class ImpairedLinkTransferIT {

    private static final long MB = 1024 * 1024;
    private static final int RELAY_OUTER_PORT = 51900;
    private static final int RELAY_INNER_PORT = 51901;

    private Topology net;
    private Process relay;
    private Path logDir;

    @AfterEach
    void tearDown() throws IOException {
        if (relay != null) {
            relay.destroyForcibly();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aGigabyteFromOursToOursOverALossyReorderingLinkArrivesIntact(TestInfo test) throws Exception {
        transferOverImpairedLink(WgSide.Implementation.WIREHAVEN, test);
    }

    @Test
    void aGigabyteFromWireguardGoToOursOverALossyReorderingLinkArrivesIntact(TestInfo test) throws Exception {
        transferOverImpairedLink(WgSide.Implementation.WIREGUARD_GO, test);
    }

    private void transferOverImpairedLink(WgSide.Implementation sideA, TestInfo test) throws Exception {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        logDir = Topology.logDir(getClass(), test.getTestMethod().orElseThrow().getName());
        net = Topology.create(sideA, WgSide.Implementation.WIREHAVEN, logDir, true);
        Path stop = net.workDir.resolve("stop-relay");
        Path relayLog = logDir.resolve("relay.log");
        relay = Helpers.spawn(
                net.nsB,
                relayLog,
                ImpairedLink.class,
                Topology.B_UNDER4,
                Integer.toString(RELAY_OUTER_PORT),
                "127.0.0.1",
                Integer.toString(RELAY_INNER_PORT),
                Integer.toString(Topology.B_PORT),
                "5",
                "20",
                "1212",
                stop.toString());
        Helpers.awaitLine(relayLog, "relaying", relay, 30);
        net.configureA(Topology.B_UNDER4 + ":" + RELAY_OUTER_PORT);
        net.configureB("127.0.0.1:" + RELAY_INNER_PORT);
        assertTrue(Topology.ping(net.nsA, Topology.B_TUN4, 5, 30), "no tunnel through the relay\n" + net.logs());

        String[] toB = Transfer.start(net.nsA, net.nsB, Topology.B_TUN4, 5021, 1024 * MB, 0, 900, logDir)
                .await(900);
        String[] toA = Transfer.start(net.nsB, net.nsA, Topology.A_TUN4, 5022, 256 * MB, 0, 600, logDir)
                .await(600);
        Files.createFile(stop);
        assertTrue(relay.waitFor(30, TimeUnit.SECONDS), "the relay stops when told");
        String impairment = Files.readString(relayLog);

        assertEquals(toB[0], toB[1], "checksums A -> B over the impaired link\n" + impairment + net.logs());
        assertTrue(toB[1].startsWith("bytes=" + 1024 * MB + " "), toB[1]);
        assertEquals(toA[0], toA[1], "checksums B -> A over the impaired link\n" + impairment + net.logs());
        assertTrue(toA[1].startsWith("bytes=" + 256 * MB + " "), toA[1]);
        // the link did impair: some datagrams of each direction were lost and some reordered
        for (String counter : new String[] {"in.lost=", "in.reordered=", "out.lost=", "out.reordered="}) {
            long n = Long.parseLong(impairment.split(counter)[1].split("\\s")[0]);
            assertTrue(n > 0, counter + n + " in " + impairment);
        }
    }
}

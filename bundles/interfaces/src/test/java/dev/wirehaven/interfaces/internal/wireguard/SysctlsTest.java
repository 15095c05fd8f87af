package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger of kernel parameters over a directory that stands in for {@code /proc/sys}. */
class SysctlsTest {

    private static final Sysctls.Name ALL4 = Sysctls.Name.forwarding("ipv4", "all");
    private static final Sysctls.Name WG0 = Sysctls.Name.forwarding("ipv4", "wg0");
    private static final Sysctls.Name ETH0 = Sysctls.Name.forwarding("ipv4", "eth0");

    @TempDir
    Path sys;

    private Sysctls sysctls;

    @BeforeEach
    void setUp() throws IOException {
        sysctls = new Sysctls(sys);
        set(ALL4, "0");
        set(WG0, "0");
        set(ETH0, "1");
    }

    @Test
    void aParameterIsWrittenOnlyWhenItHasAnotherValueAndOnlyThatOneGoesBack() throws IOException {
        Sysctls.Hold wg0 = sysctls.hold(WG0, "1");
        Sysctls.Hold eth0 = sysctls.hold(ETH0, "1");

        assertEquals(new Sysctls.Hold(WG0, "0", "1", true), wg0);
        assertEquals(new Sysctls.Hold(ETH0, "1", "1", false), eth0);
        assertEquals("1", get(WG0));
        assertEquals("net.ipv4.conf.wg0.forwarding=1 (was 0)", wg0.toString());
        assertEquals("net.ipv4.conf.eth0.forwarding=1 (already)", eth0.toString());

        assertEquals(
                List.of(new Sysctls.Release(ETH0, Sysctls.Release.Outcome.NOT_CHANGED, null, "1")),
                sysctls.release(ETH0));
        assertEquals(
                List.of(new Sysctls.Release(WG0, Sysctls.Release.Outcome.RESTORED, "0", "1")), sysctls.release(WG0));
        assertEquals("0", get(WG0));
        assertEquals("1", get(ETH0), "it was 1 before: it stays 1");
        assertEquals(Map.of(), sysctls.held());
    }

    @Test
    void twoHoldersOfOneParameterGiveItBackWhenTheLastLetsGo() throws IOException {
        assertTrue(sysctls.hold(ALL4, "1").changed());
        assertFalse(sysctls.hold(ALL4, "1").changed());
        assertEquals(Map.of(ALL4, 2), sysctls.held());

        assertEquals(
                Sysctls.Release.Outcome.STILL_HELD, sysctls.release(ALL4).get(0).outcome());
        assertEquals("1", get(ALL4), "the other interface still needs it");
        assertEquals(
                Sysctls.Release.Outcome.RESTORED, sysctls.release(ALL4).get(0).outcome());
        assertEquals("0", get(ALL4));
    }

    @Test
    void aValueThatSomeoneElseSetMeanwhileIsLeftAsTheySetIt() throws IOException {
        sysctls.hold(WG0, "1");
        set(WG0, "2");

        List<Sysctls.Release> release = sysctls.release(WG0);

        assertEquals(List.of(new Sysctls.Release(WG0, Sysctls.Release.Outcome.CHANGED_BY_OTHERS, null, "2")), release);
        assertEquals("2", get(WG0));
    }

    @Test
    void theParameterOfAnInterfaceThatIsGoneIsForgotten() throws IOException {
        sysctls.hold(WG0, "1");
        Files.delete(sys.resolve("net/ipv4/conf/wg0/forwarding"));

        assertEquals(Sysctls.Release.Outcome.GONE, sysctls.release(WG0).get(0).outcome());
        assertEquals(Map.of(), sysctls.held());
    }

    @Test
    void whenConfAllGoesBackThePerInterfaceValuesStillHeldAreWrittenAgain() throws IOException {
        // interface A holds eth0 (its named uplink), interface B holds conf.all (auto)
        set(ETH0, "0");
        sysctls.hold(ETH0, "1");
        sysctls.hold(ALL4, "1");
        // writing conf.all.forwarding=0 makes the kernel write every interface's forwarding: here, by hand
        set(ETH0, "0");

        List<Sysctls.Release> release = sysctls.release(ALL4);

        assertEquals(
                List.of(
                        new Sysctls.Release(ALL4, Sysctls.Release.Outcome.RESTORED, "0", "1"),
                        new Sysctls.Release(ETH0, Sysctls.Release.Outcome.WRITTEN_AGAIN, "1", "1")),
                release);
        assertEquals("0", get(ALL4));
        assertEquals("1", get(ETH0), "still held by A: written again");

        sysctls.release(ETH0);
        assertEquals("0", get(ETH0));
    }

    @Test
    void aPerInterfaceValueThatConfAllAlreadyGaveBackCountsAsRestored() throws IOException {
        sysctls.hold(WG0, "1");
        sysctls.hold(ALL4, "1");
        sysctls.release(ALL4);
        set(WG0, "0"); // what the kernel does when conf.all.forwarding goes back to 0

        assertEquals(
                List.of(new Sysctls.Release(WG0, Sysctls.Release.Outcome.RESTORED, "0", "0")), sysctls.release(WG0));
    }

    @Test
    void aParameterThatDoesNotExistIsAnErrorAndNotHeld() {
        Sysctls.Name missing = Sysctls.Name.forwarding("ipv4", "eth9");

        IOException e = assertThrows(IOException.class, () -> sysctls.hold(missing, "1"));

        assertTrue(e.getMessage().startsWith("net.ipv4.conf.eth9.forwarding does not exist"), e.getMessage());
        assertEquals(Map.of(), sysctls.held());
        assertFalse(Files.exists(sys.resolve("net/ipv4/conf/eth9/forwarding")), "no file is created");
    }

    @Test
    void anInterfaceNameWithDotsIsShownAsSysctlShowsIt() {
        assertEquals(
                "net.ipv4.conf.eth0/100.forwarding",
                Sysctls.Name.forwarding("ipv4", "eth0.100").toString());
        assertThrows(IllegalArgumentException.class, () -> Sysctls.Name.forwarding("ipv4", ".."));
        assertThrows(IllegalArgumentException.class, () -> Sysctls.Name.forwarding("ipv4", "a/b"));
    }

    private void set(Sysctls.Name name, String value) throws IOException {
        Path file = sys.resolve(String.join("/", name.segments()));
        Files.createDirectories(file.getParent());
        Files.writeString(file, value + "\n");
    }

    private String get(Sysctls.Name name) throws IOException {
        return Files.readString(sys.resolve(String.join("/", name.segments()))).trim();
    }
}

package dev.wirehaven.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ip} without root: only reading commands, in this process's namespace. Changing commands are
 * proven in namespaces by {@code LinuxTunTest} and the client's {@code LinuxHostNetworkInNamespaceTest}.
 */
class IpCommandTest {

    private static IpCommand ip() {
        assumeTrue(HostCommand.find("ip", "/usr/sbin/ip", "/sbin/ip").isInstalled(), "iproute2 is not installed");
        return IpCommand.inThisNamespace();
    }

    @Test
    void aCallerMayChooseTheProgramAndItsArgumentsAreStillChecked() throws Exception {
        String system = ip().program();
        IpCommand chosen = IpCommand.using(HostCommand.at(system), null);

        assertEquals(system, chosen.program());
        assertTrue(chosen.run("link", "show", "lo").contains("LOOPBACK"));
        assertThrows(IllegalArgumentException.class, () -> chosen.run("link", "show", "lo; reboot"));
        assertThrows(IllegalArgumentException.class, () -> IpCommand.using(HostCommand.at(system), "-all"));
    }

    @Test
    void runsIpAndReturnsWhatItPrints() throws Exception {
        assertTrue(ip().run("link", "show", "lo").contains("LOOPBACK"));
    }

    @Test
    void aFailureCarriesTheCommandItsExitStatusAndIpsOwnWords() {
        IOException e = assertThrows(IOException.class, () -> ip().run(List.of("link", "show", "dev", "whnosuch0")));
        String m = e.getMessage();
        assertTrue(m.contains(" link show dev whnosuch0' failed (exit "), m);
        assertTrue(m.contains("whnosuch0"), m);
        assertTrue(m.contains("does not exist"), m);
    }

    @Test
    void argumentsThatAreNotPlainWordsAreRefusedBeforeAnythingRuns() {
        IpCommand ip = IpCommand.inThisNamespace();
        for (String bad : new String[] {"lo; reboot", "a b", "line\nbreak", "", "$(id)", "x".repeat(65)}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ip.run("link", "show", bad));
            assertTrue(e.getMessage().contains("refusing to pass"), e.getMessage());
        }
    }

    @Test
    void tryRunSaysFalseInsteadOfThrowing() {
        IpCommand ip = ip();
        assertFalse(ip.tryRun(List.of("link", "show", "dev", "whnosuch0")), "a failing command");
        assertFalse(ip.tryRun(List.of("link", "show", "a b")), "a refused argument");
        assertTrue(ip.tryRun(List.of("link", "show", "lo")));
    }

    @Test
    void aNamespaceNameMustBeAPlainNameThatIpCannotReadAsAnOption() {
        assertNull(IpCommand.inThisNamespace().namespace());
        assertEquals("wh-test-1", IpCommand.inNamespace("wh-test-1").namespace());
        for (String bad : new String[] {"-all", "a b", "../x", ""}) {
            assertThrows(IllegalArgumentException.class, () -> IpCommand.inNamespace(bad), bad);
        }
    }
}

package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;

/**
 * The interface configuration reader on any {@code etc/dev.wirehaven.wireguard.interface-<name>.cfg},
 * read as FileInstall reads it (its own {@link TypedProperties}, ISO-8859-1): {@link
 * InterfaceSettings#from} gives either settings that an interface can start with, or an {@link
 * InterfaceStartException} that names the configuration and one of its keys; nothing else.
 *
 * <p>"Can start with": a valid interface name and port, an MTU that suits its addresses, absolute key
 * file paths, masquerade only with forwarding and addresses, and static peers that read back as they
 * are written ({@link StaticPeer#toString()} is what the wg-quick import writes and what the change
 * of a running interface compares).
 *
 * <p>Regression mode runs {@code InterfaceSettingsFuzzTestInputs/read}: the shipped example, with and
 * without its commented keys, and configurations as the wg-quick import writes them.
 */
class InterfaceSettingsFuzzTest {

    private static final Path DATA = Path.of("/opt/wirehaven/data");
    private static final String PID = InterfaceSettings.FACTORY_PID + "~fuzz";
    private static final List<String> KEYS = List.of(
            InterfaceSettings.NAME,
            InterfaceSettings.LISTEN_PORT,
            InterfaceSettings.PRIVATE_KEY_FILE,
            InterfaceSettings.ADDRESSES,
            InterfaceSettings.MTU,
            InterfaceSettings.PEERS,
            InterfaceSettings.PRE_UP,
            InterfaceSettings.POST_UP,
            InterfaceSettings.PRE_DOWN,
            InterfaceSettings.POST_DOWN,
            InterfaceSettings.FORWARDING,
            InterfaceSettings.MASQUERADE,
            InterfaceSettings.ROUTE_PEER_SUBNETS);

    @FuzzTest(maxDuration = "5m")
    void read(byte[] input) {
        TypedProperties typed = new TypedProperties((name, key, value) -> "<substituted " + value + ">");
        Map<String, Object> properties;
        try {
            typed.load(new StringReader(new String(input, StandardCharsets.ISO_8859_1)));
            // typed values (I"51820", [ ... ]) are converted as they are read out, which can fail too
            properties = new HashMap<>(typed);
        } catch (IOException | RuntimeException fileInstallRefusesIt) {
            // FileInstall then updates no configuration: the reader never sees such a file
            return;
        }
        properties.put("service.pid", PID);
        properties.put(
                ConfigurationOrigin.FILEINSTALL_FILENAME,
                "file:/opt/wirehaven/etc/dev.wirehaven.wireguard.interface-fuzz.cfg");
        String origin = ConfigurationOrigin.of(properties).describe();
        InterfaceSettings settings;
        try {
            settings = InterfaceSettings.from(properties, DATA);
        } catch (InterfaceStartException e) {
            String prefix = "WireGuard interface not started: " + origin + ": ";
            assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
            String rest = e.getMessage().substring(prefix.length());
            assertTrue(KEYS.stream().anyMatch(k -> rest.startsWith(k + " ")), () -> "names no key: " + e.getMessage());
            return;
        }
        assertNotNull(settings);
        assertTrue(InterfaceSettings.isValidName(settings.name()), settings.name());
        assertTrue(settings.listenPort() >= 1 && settings.listenPort() <= 65535, "listenPort");
        boolean ipv6 = settings.addresses().stream().anyMatch(a -> !a.isIpv4());
        int least = ipv6 ? InterfaceSettings.MIN_MTU_IPV6 : InterfaceSettings.MIN_MTU;
        assertTrue(settings.mtu() >= least && settings.mtu() <= InterfaceSettings.MAX_MTU, "mtu " + settings.mtu());
        assertTrue(settings.privateKeyFile().isAbsolute(), settings.privateKeyFile()::toString);
        for (InterfaceAddress address : settings.addresses()) {
            assertNotNull(address.subnet());
        }
        if (settings.masquerade().isOn()) {
            assertTrue(settings.forwarding() && !settings.addresses().isEmpty(), "masquerade");
        }
        for (StaticPeer peer : settings.peers()) {
            assertTrue(
                    peer.presharedKeyFile() == null || peer.presharedKeyFile().isAbsolute(), peer::toString);
            assertEquals(peer, StaticPeer.parse(peer.toString(), DATA), "a static peer reads back as it is written");
        }
        for (List<String> hook :
                List.of(settings.preUp(), settings.postUp(), settings.preDown(), settings.postDown())) {
            for (String command : hook) {
                assertTrue(!command.isBlank() && command.equals(command.strip()) && command.indexOf('\n') < 0, command);
            }
        }
    }
}

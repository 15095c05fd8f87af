package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

    private static NodeSettings read(Map<String, Object> values) {
        Map<String, Object> properties = new HashMap<>(values);
        properties.put("service.pid", SessionSettings.PID);
        return NodeSettings.from(properties, "host1");
    }

    @Test
    void aServerWithoutNodeSettingsIsItsHostWithTheDefaultCapacityAndIsNotOffered() {
        NodeSettings n = read(Map.of());
        assertEquals("host1", n.name());
        assertNull(n.controlUrl());
        assertEquals(NodeSettings.DEFAULT_CAPACITY, n.capacity());
    }

    @Test
    void readsTheNameTheControlOriginAndTheCapacity() {
        NodeSettings n = read(Map.of(
                "node.name", "gw-2.eu", "node.control.url", "https://gw2.example.com:8443/", "node.capacity", "250"));
        assertEquals(new NodeSettings("gw-2.eu", "https://gw2.example.com:8443", 250), n);
    }

    @Test
    void refusesANameThatCouldNotKeyARowOrForgeALogLine() {
        SessionConfigException e =
                assertThrows(SessionConfigException.class, () -> read(Map.of("node.name", "gw1\n\u202Eevil")));
        assertTrue(e.getMessage().contains("node.name"), e.getMessage());
        assertTrue(e.getMessage().contains("unique among the nodes"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("\u202E"), e.getMessage());
    }

    @Test
    void refusesAControlUrlThatIsNotAnHttpsOrigin() {
        for (String bad : new String[] {
            "http://gw1:8443", "https://user@gw1:8443", "https://gw1:8443/api", "https://gw1?x=1", "gw1:8443"
        }) {
            SessionConfigException e =
                    assertThrows(SessionConfigException.class, () -> read(Map.of("node.control.url", bad)), bad);
            assertTrue(e.getMessage().contains("node.control.url"), e.getMessage());
        }
    }

    @Test
    void refusesACapacityOutOfRange() {
        for (String bad : new String[] {"0", "-5", "many", "1000001"}) {
            SessionConfigException e =
                    assertThrows(SessionConfigException.class, () -> read(Map.of("node.capacity", bad)), bad);
            assertTrue(e.getMessage().contains("node.capacity"), e.getMessage());
        }
    }
}

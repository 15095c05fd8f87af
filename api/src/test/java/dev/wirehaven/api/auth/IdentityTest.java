package dev.wirehaven.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void groupsAndAttributesAreCopiedSoTheProviderCannotChangeThemLater() {
        Set<String> groups = new HashSet<>(Set.of("ops"));
        Map<String, String> attributes = new HashMap<>(Map.of("mail", "a@example.com"));
        Identity id = new Identity("alice", groups, attributes);
        groups.add("admins");
        attributes.put("mail", "evil@example.com");
        assertEquals(Set.of("ops"), id.groups());
        assertEquals("a@example.com", id.attributes().get("mail"));
    }

    @Test
    void groupsAndAttributesCannotBeModifiedThroughTheValue() {
        Identity id = Identity.of("alice", "ops");
        assertThrows(UnsupportedOperationException.class, () -> id.groups().add("admins"));
        assertThrows(UnsupportedOperationException.class, () -> id.attributes().put("k", "v"));
    }

    @Test
    void groupsIterateSortedWhateverTheInputOrder() {
        Identity id = new Identity("alice", new HashSet<>(List.of("zeta", "alpha", "mid")), Map.of());
        assertEquals(List.of("alpha", "mid", "zeta"), List.copyOf(id.groups()));
        assertTrue(id.isMemberOf("mid"));
    }

    @Test
    void blankUserOrGroupIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Identity.of(""));
        assertThrows(IllegalArgumentException.class, () -> Identity.of("alice", " "));
        Set<String> withNull = new HashSet<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> new Identity("alice", withNull, Map.of()));
    }
}

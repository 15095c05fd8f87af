package dev.wirehaven.sessions.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.server.support.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An {@link Identity} in one text column. JSON, because groups and attributes come from directories
 * and identity providers and may contain any character; a home-made separator would need escaping.
 */
final class IdentityJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IdentityJson() {}

    static String write(Identity identity) {
        if (identity == null) {
            return null;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("user", identity.user());
        value.put("groups", List.copyOf(identity.groups()));
        value.put("attributes", identity.attributes());
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an identity of strings always serialises", e);
        }
    }

    static Identity read(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            List<String> groups = new ArrayList<>();
            node.path("groups").forEach(g -> groups.add(g.asText()));
            Map<String, String> attributes = new TreeMap<>();
            node.path("attributes")
                    .properties()
                    .forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
            return new Identity(node.path("user").asText(), Set.copyOf(groups), attributes);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException("A session's identity in the store is not readable: " + e.getMessage());
        }
    }
}

package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.server.support.store.ShippedScripts;
import org.junit.jupiter.api.Test;

class SessionSchemaTest {

    @Test
    void theTrackListsEveryScriptThatShipsInTheBundle() throws Exception {
        ShippedScripts.assertTrackListsEveryScript(SessionSchema.TRACK);
    }
}

package dev.wirehaven.auth.local.internal.store;

import dev.wirehaven.server.support.store.ShippedScripts;
import org.junit.jupiter.api.Test;

class UserSchemaTest {

    @Test
    void theTrackListsEveryScriptThatShipsInTheBundle() throws Exception {
        ShippedScripts.assertTrackListsEveryScript(UserSchema.TRACK);
    }
}

package dev.wirehaven.auth.totp.internal.store;

import dev.wirehaven.server.support.store.ShippedScripts;
import org.junit.jupiter.api.Test;

class TotpSchemaTest {

    @Test
    void theTrackListsEveryScriptThatShipsInTheBundle() throws Exception {
        ShippedScripts.assertTrackListsEveryScript(TotpSchema.TRACK);
    }
}

package dev.wirehaven.example.monitor.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodySignatureTest {

    @Test
    void theSignatureIsTheHexHmacSha256OfTheBody() {
        // RFC 4231, test case 2
        assertEquals(
                "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new BodySignature("Jefe").sign("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theSecretIsNotShown() {
        assertFalse(new BodySignature("hunter2-webhook").toString().contains("hunter2"));
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BodySignature(""));
    }
}

package dev.wirehaven.wireguard.internal.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.wireguard.internal.Protocol;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The constants every WireGuard implementation starts from. Expected values computed independently
 * with Python 3: ck = hashlib.blake2s(b"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s").digest(),
 * h = hashlib.blake2s(ck + b"WireGuard v1 zx2c4 Jason@zx2c4.com").digest(),
 * mac1key = hashlib.blake2s(b"mac1----" + bytes(32)).digest().
 */
class NoiseConstructionTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void initialChainingKeyIsTheHashOfTheConstruction() {
        assertEquals("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s", Protocol.CONSTRUCTION);
        assertEquals(
                "60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36",
                HEX.formatHex(Noise.initialChainingKey()));
    }

    @Test
    void initialHashMixesInTheIdentifier() {
        assertEquals("WireGuard v1 zx2c4 Jason@zx2c4.com", Protocol.IDENTIFIER);
        assertEquals(
                "2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3", HEX.formatHex(Noise.initialHash()));
    }

    @Test
    void mac1KeyIsTheLabelledHashOfThePublicKey() {
        assertEquals(
                "d84d593e94aac535d9107d24b9e4576f12a1d0c96b630c2961edee4259e3e3c5",
                HEX.formatHex(Noise.labelKey(Protocol.LABEL_MAC1, new byte[32])));
    }

    @Test
    void messageSizesAreTheWhitepapers() {
        assertEquals(148, Protocol.INITIATION_SIZE);
        assertEquals(92, Protocol.RESPONSE_SIZE);
        assertEquals(64, Protocol.COOKIE_REPLY_SIZE);
        assertEquals(32, Protocol.KEEPALIVE_SIZE);
        assertEquals(18, Protocol.MAX_TIMER_HANDSHAKES);
        assertEquals(-8193L, Protocol.REJECT_AFTER_MESSAGES); // 2^64 - 2^13 - 1 as a signed long
    }

    @Test
    void littleEndianFieldsRoundTrip() {
        byte[] b = new byte[12];
        Noise.putIntLE(b, 0, 0x04030201);
        Noise.putLongLE(b, 4, 0x0807060504030201L);
        assertEquals("010203040102030405060708", HEX.formatHex(b));
        assertEquals(0x04030201, Noise.getIntLE(b, 0));
        assertEquals(0x0807060504030201L, Noise.getLongLE(b, 4));
    }
}

package dev.wirehaven.wireguard.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.crypto.ChaChaPoly;
import dev.wirehaven.wireguard.internal.crypto.X25519;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two of our handshakes talking to each other, as initiator and responder. */
class HandshakeTest {

    private final TestClock clock = new TestClock();
    private final Random random = new Random(42);
    private final StaticIdentity alice = new StaticIdentity(X25519.generatePrivate(random));
    private final StaticIdentity bob = new StaticIdentity(X25519.generatePrivate(random));

    /** Hands out sequential indices and remembers which are live. */
    private static final class CountingIndices implements Indices {
        final Set<Integer> live = new HashSet<>();
        int next = 100;

        @Override
        public int allocate() {
            live.add(++next);
            return next;
        }

        @Override
        public void release(int index) {
            live.remove(index);
        }
    }

    private final CountingIndices aliceIndices = new CountingIndices();
    private final CountingIndices bobIndices = new CountingIndices();

    /** Alice's state about Bob, and Bob's about Alice. */
    private final Handshake aliceToBob = new Handshake(bob.publicKey(), clock, random, aliceIndices);

    private final Handshake bobToAlice = new Handshake(alice.publicKey(), clock, random, bobIndices);

    {
        aliceToBob.setIdentity(alice);
        bobToAlice.setIdentity(bob);
    }

    private SessionKeys[] runHandshake() {
        byte[] init = aliceToBob.createInitiation(alice);
        assertNotNull(init);
        assertEquals(Protocol.INITIATION_SIZE, init.length);
        InitiationPrefix prefix = InitiationPrefix.read(bob, init);
        assertNotNull(prefix);
        assertArrayEquals(alice.publicKey(), prefix.initiatorStatic());
        assertEquals(Handshake.Verdict.ACCEPTED, bobToAlice.consumeInitiation(prefix, init));
        byte[] resp = bobToAlice.createResponse(bob);
        assertNotNull(resp);
        assertEquals(Protocol.RESPONSE_SIZE, resp.length);
        SessionKeys bobKeys = bobToAlice.deriveSession();
        assertTrue(aliceToBob.consumeResponse(alice, resp));
        SessionKeys aliceKeys = aliceToBob.deriveSession();
        return new SessionKeys[] {aliceKeys, bobKeys};
    }

    @Test
    void initiatorAndResponderDeriveMatchingKeysWithoutPsk() {
        SessionKeys[] k = runHandshake();
        assertTrue(k[0].initiator());
        assertFalse(k[1].initiator());
        assertArrayEquals(k[0].sendKey(), k[1].receiveKey());
        assertArrayEquals(k[0].receiveKey(), k[1].sendKey());
        assertFalse(java.util.Arrays.equals(k[0].sendKey(), k[0].receiveKey()));
        // each side sends to the index the other receives on
        assertEquals(k[0].remoteIndex(), k[1].localIndex());
        assertEquals(k[1].remoteIndex(), k[0].localIndex());
        // the transport keys really interoperate
        byte[] sealed = ChaChaPoly.seal(k[0].sendKey(), 0, new byte[] {1, 2, 3}, new byte[0]);
        assertArrayEquals(
                new byte[] {1, 2, 3}, ChaChaPoly.open(k[1].receiveKey(), 0, sealed, 0, sealed.length, new byte[0]));
        assertEquals(Handshake.State.ZEROED, aliceToBob.state());
        assertEquals(Handshake.State.ZEROED, bobToAlice.state());
    }

    @Test
    void bothSidesWithTheSamePskDeriveMatchingKeysDifferentFromWithout() {
        SessionKeys[] plain = runHandshake();
        byte[] psk = new byte[32];
        random.nextBytes(psk);
        aliceToBob.setPresharedKey(psk);
        bobToAlice.setPresharedKey(psk);
        clock.advance(Duration.ofSeconds(1));
        SessionKeys[] withPsk = runHandshake();
        assertArrayEquals(withPsk[0].sendKey(), withPsk[1].receiveKey());
        assertFalse(java.util.Arrays.equals(plain[0].sendKey(), withPsk[0].sendKey()));
    }

    @Test
    void aPskMismatchFailsTheResponse() {
        byte[] psk = new byte[32];
        psk[0] = 1;
        bobToAlice.setPresharedKey(psk);
        byte[] init = aliceToBob.createInitiation(alice);
        InitiationPrefix prefix = InitiationPrefix.read(bob, init);
        assertEquals(Handshake.Verdict.ACCEPTED, bobToAlice.consumeInitiation(prefix, init));
        byte[] resp = bobToAlice.createResponse(bob);
        assertFalse(aliceToBob.consumeResponse(alice, resp));
        assertEquals(Handshake.State.INITIATION_CREATED, aliceToBob.state());
    }

    @Test
    void aReplayedInitiationIsRejected() {
        byte[] init = aliceToBob.createInitiation(alice);
        assertEquals(Handshake.Verdict.ACCEPTED, bobToAlice.consumeInitiation(InitiationPrefix.read(bob, init), init));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Handshake.Verdict.REPLAY, bobToAlice.consumeInitiation(InitiationPrefix.read(bob, init), init));
    }

    @Test
    void aSecondFreshInitiationWithin20msIsAFlood() {
        byte[] first = aliceToBob.createInitiation(alice);
        assertEquals(
                Handshake.Verdict.ACCEPTED, bobToAlice.consumeInitiation(InitiationPrefix.read(bob, first), first));
        // a newer timestamp (TAI64N is whitened to ~16.8 ms, so move 20 ms) arriving at once
        clock.advance(Duration.ofMillis(20));
        byte[] second = aliceToBob.createInitiation(alice);
        // the responder receives it no later than 20 ms after the previous one
        assertEquals(Handshake.Verdict.FLOOD, bobToAlice.consumeInitiation(InitiationPrefix.read(bob, second), second));
        clock.advance(Duration.ofMillis(1));
        assertEquals(
                Handshake.Verdict.ACCEPTED, bobToAlice.consumeInitiation(InitiationPrefix.read(bob, second), second));
    }

    @Test
    void anInitiationForSomeoneElseDoesNotDecrypt() {
        StaticIdentity carol = new StaticIdentity(X25519.generatePrivate(random));
        byte[] init = aliceToBob.createInitiation(alice);
        assertNull(InitiationPrefix.read(carol, init));
        init[50] ^= 1;
        assertNull(InitiationPrefix.read(bob, init));
    }

    @Test
    void aResponseToAnOldInitiationIsIgnored() {
        byte[] init = aliceToBob.createInitiation(alice);
        bobToAlice.consumeInitiation(InitiationPrefix.read(bob, init), init);
        byte[] resp = bobToAlice.createResponse(bob);
        clock.advance(Duration.ofSeconds(6));
        aliceToBob.createInitiation(alice); // a retransmission replaced the exchange and its index
        assertFalse(aliceToBob.consumeResponse(alice, resp));
    }

    @Test
    void indicesAreReleasedWhenTheHandshakeIsCleared() {
        aliceToBob.createInitiation(alice);
        assertEquals(1, aliceIndices.live.size());
        aliceToBob.createInitiation(alice);
        assertEquals(1, aliceIndices.live.size()); // the retransmission released the old index
        aliceToBob.clear();
        assertTrue(aliceIndices.live.isEmpty());
    }

    @Test
    void aPeerWithALowOrderPublicKeyGetsNoHandshake() {
        Handshake weird = new Handshake(new byte[32], clock, random, aliceIndices);
        weird.setIdentity(alice);
        assertNull(weird.createInitiation(alice));
    }

    @Test
    void initiationsAreRateLimitedToOnePerRekeyTimeout() {
        assertTrue(aliceToBob.claimInitiationSlot());
        assertFalse(aliceToBob.claimInitiationSlot());
        clock.advance(Duration.ofMillis(4999));
        assertFalse(aliceToBob.claimInitiationSlot());
        clock.advance(Duration.ofMillis(1));
        assertTrue(aliceToBob.claimInitiationSlot());
    }

    @Test
    void cookieReplyRoundTripLetsTheNextInitiationCarryMac2() {
        CookieChecker bobChecker = new CookieChecker(clock, random);
        bobChecker.init(bob.publicKey());
        CookieGenerator aliceCookies = new CookieGenerator(bob.publicKey(), clock);
        byte[] src = HandshakeTestSupport.sourceBytes(new InetSocketAddress("192.0.2.7", 51820));

        byte[] init = aliceToBob.createInitiation(alice);
        aliceCookies.addMacs(init);
        assertTrue(bobChecker.checkMac1(init, init.length));
        assertFalse(bobChecker.checkMac2(init, init.length, src)); // no cookie yet

        byte[] reply = bobChecker.createReply(init, init.length, 1234, src);
        assertEquals(Protocol.COOKIE_REPLY_SIZE, reply.length);
        assertEquals(Protocol.MESSAGE_COOKIE_REPLY, Noise.getIntLE(reply, 0));
        assertEquals(1234, Noise.getIntLE(reply, 4));
        assertTrue(aliceCookies.consumeReply(reply));

        clock.advance(Duration.ofSeconds(5));
        byte[] retry = aliceToBob.createInitiation(alice);
        aliceCookies.addMacs(retry);
        assertTrue(bobChecker.checkMac1(retry, retry.length));
        assertTrue(bobChecker.checkMac2(retry, retry.length, src));
        // the cookie is bound to the source address and port
        byte[] otherSrc = HandshakeTestSupport.sourceBytes(new InetSocketAddress("192.0.2.7", 51821));
        assertFalse(bobChecker.checkMac2(retry, retry.length, otherSrc));
    }

    @Test
    void cookiesAndTheirSecretExpireAfterTwoMinutes() {
        CookieChecker bobChecker = new CookieChecker(clock, random);
        bobChecker.init(bob.publicKey());
        CookieGenerator aliceCookies = new CookieGenerator(bob.publicKey(), clock);
        byte[] src = HandshakeTestSupport.sourceBytes(new InetSocketAddress("192.0.2.7", 51820));
        byte[] init = aliceToBob.createInitiation(alice);
        aliceCookies.addMacs(init);
        assertTrue(aliceCookies.consumeReply(bobChecker.createReply(init, init.length, 1, src)));

        clock.advance(Duration.ofSeconds(121));
        byte[] late = aliceToBob.createInitiation(alice);
        aliceCookies.addMacs(late);
        assertTrue(
                java.util.Arrays.equals(new byte[16], java.util.Arrays.copyOfRange(late, 132, 148)),
                "an expired cookie gives an all-zero MAC2");
        assertFalse(bobChecker.checkMac2(late, late.length, src), "the secret rotated");
    }

    @Test
    void aCookieReplyForAnotherMessageIsRejected() {
        CookieChecker bobChecker = new CookieChecker(clock, random);
        bobChecker.init(bob.publicKey());
        CookieGenerator aliceCookies = new CookieGenerator(bob.publicKey(), clock);
        byte[] src = HandshakeTestSupport.sourceBytes(new InetSocketAddress("192.0.2.7", 51820));
        assertFalse(aliceCookies.consumeReply(new byte[64]), "no message sent yet");
        byte[] init = aliceToBob.createInitiation(alice);
        aliceCookies.addMacs(init);
        byte[] other = init.clone();
        other[120] ^= 1; // a different MAC1 (bytes 116..131)
        assertFalse(aliceCookies.consumeReply(bobChecker.createReply(other, other.length, 1, src)));
        byte[] bad = init.clone();
        bad[60] ^= 1; // a changed body no longer matches its MAC1
        assertFalse(bobChecker.checkMac1(bad, bad.length));
    }
}

package dev.wirehaven.benchmarks;

import dev.wirehaven.wireguard.internal.noise.CookieChecker;
import dev.wirehaven.wireguard.internal.noise.CookieGenerator;
import dev.wirehaven.wireguard.internal.noise.Handshake;
import dev.wirehaven.wireguard.internal.noise.Indices;
import dev.wirehaven.wireguard.internal.noise.InitiationPrefix;
import dev.wirehaven.wireguard.internal.noise.SessionKeys;
import dev.wirehaven.wireguard.internal.noise.StaticIdentity;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Noise_IKpsk2 handshake as the device runs it: MAC1 added and checked on both messages, the
 * initiation consumed in its two halves (static key, then the peer's handshake), the response, and
 * the transport keys derived on both sides. Eight X25519 operations in all, which dominate.
 *
 * <p>{@link #responderFirstHalf} is what a server pays for every initiation that passes MAC1 before it
 * even knows the peer (MAC1 check, one X25519 and the static-key decryption): the cost under a flood
 * of valid-looking initiations, before the cookie mechanism engages.
 *
 * <p>The clock jumps a second at every reading, so that each initiation has a newer timestamp and is
 * never refused as a replay or a flood.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HandshakeBenchmark {

    /** A clock that moves one second forward each time it is read. */
    static final class JumpingClock implements Clock {
        private long ticks = 1_700_000_000L;

        @Override
        public long nanoTime() {
            return ++ticks * 1_000_000_000L;
        }

        @Override
        public long epochNanos() {
            return ++ticks * 1_000_000_000L;
        }
    }

    /** Session indices from a counter: uniqueness is all a benchmark needs. */
    static final class CountingIndices implements Indices {
        private int next;

        @Override
        public int allocate() {
            next = next == -1 ? 1 : next + 1;
            return next;
        }

        @Override
        public void release(int index) {}
    }

    private StaticIdentity initiatorId;
    private StaticIdentity responderId;
    private Handshake initiator;
    private Handshake responder;
    private CookieGenerator macsToResponder;
    private CookieGenerator macsToInitiator;
    private CookieChecker responderChecker;
    private CookieChecker initiatorChecker;
    private byte[] sampleInitiation;

    @Setup
    public void setup() {
        SecureRandom random = new SecureRandom();
        Clock clock = new JumpingClock();
        byte[] ki = new byte[32];
        byte[] kr = new byte[32];
        random.nextBytes(ki);
        random.nextBytes(kr);
        initiatorId = new StaticIdentity(ki);
        responderId = new StaticIdentity(kr);
        initiator = new Handshake(responderId.publicKey(), clock, random, new CountingIndices());
        responder = new Handshake(initiatorId.publicKey(), clock, random, new CountingIndices());
        initiator.setIdentity(initiatorId);
        responder.setIdentity(responderId);
        macsToResponder = new CookieGenerator(responderId.publicKey(), clock);
        macsToInitiator = new CookieGenerator(initiatorId.publicKey(), clock);
        responderChecker = new CookieChecker(clock, random);
        responderChecker.init(responderId.publicKey());
        initiatorChecker = new CookieChecker(clock, random);
        initiatorChecker.init(initiatorId.publicKey());
        sampleInitiation = initiator.createInitiation(initiatorId);
        macsToResponder.addMacs(sampleInitiation);
        initiator.clear();
        // prove the sequence once, so that a broken handshake fails the run instead of timing garbage
        if (fullHandshake() == null) {
            throw new IllegalStateException("the handshake did not complete");
        }
    }

    @Benchmark
    public SessionKeys fullHandshake() {
        byte[] initiation = initiator.createInitiation(initiatorId);
        macsToResponder.addMacs(initiation);
        if (!responderChecker.checkMac1(initiation, initiation.length)) {
            return null;
        }
        InitiationPrefix prefix = InitiationPrefix.read(responderId, initiation);
        if (prefix == null || responder.consumeInitiation(prefix, initiation) != Handshake.Verdict.ACCEPTED) {
            return null;
        }
        byte[] response = responder.createResponse(responderId);
        macsToInitiator.addMacs(response);
        if (!initiatorChecker.checkMac1(response, response.length)
                || !initiator.consumeResponse(initiatorId, response)) {
            return null;
        }
        SessionKeys responderKeys = responder.deriveSession();
        SessionKeys initiatorKeys = initiator.deriveSession();
        return responderKeys == null ? null : initiatorKeys;
    }

    @Benchmark
    public byte[] createInitiation() {
        byte[] initiation = initiator.createInitiation(initiatorId);
        macsToResponder.addMacs(initiation);
        return initiation;
    }

    @Benchmark
    public void responderFirstHalf(Blackhole bh) {
        bh.consume(responderChecker.checkMac1(sampleInitiation, sampleInitiation.length));
        bh.consume(InitiationPrefix.read(responderId, sampleInitiation));
    }
}

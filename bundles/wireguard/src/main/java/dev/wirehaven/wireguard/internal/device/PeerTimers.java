package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.util.random.RandomGenerator;

/**
 * A peer's five timers (whitepaper §6) and the events that arm and disarm them, with the semantics
 * of wireguard-go's timers.go:
 * <ul>
 * <li>retransmit handshake: REKEY_TIMEOUT + jitter after an initiation, until a response;</li>
 * <li>send keepalive: KEEPALIVE_TIMEOUT after data was received, unless something was sent;</li>
 * <li>new handshake: KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter after data was sent, unless something
 * was received;</li>
 * <li>zero key material: 3 × REJECT_AFTER_TIME after the last session was derived;</li>
 * <li>persistent keepalive: the configured interval after any authenticated packet.</li>
 * </ul>
 * A timer is a deadline plus an armed bit. Re-arming a timer to a later deadline touches only this
 * object; the shared {@link TimerService} hears about it only when the earliest deadline moves
 * earlier. The monitor of this object guards everything here; it is the peer's own, so no lock is
 * shared across peers.
 */
final class PeerTimers {

    static final int RETRANSMIT_HANDSHAKE = 0;
    static final int SEND_KEEPALIVE = 1;
    static final int NEW_HANDSHAKE = 2;
    static final int ZERO_KEY_MATERIAL = 3;
    static final int PERSISTENT_KEEPALIVE = 4;
    private static final int COUNT = 5;

    /** What to do when a timer expires; runs on the timer thread, without this object's lock. */
    interface Actions {
        void expired(int timer);
    }

    private final TimerService service;
    private final Clock clock;
    private final RandomGenerator random;
    private final Actions actions;
    private final long[] deadline = new long[COUNT];
    private int armed;
    private boolean registered;
    private long registeredAt;
    private boolean active = true;

    // state of the timer logic itself (wireguard-go keeps these with the timers too)
    private int handshakeAttempts;
    private boolean needAnotherKeepalive;
    private boolean sentLastMinuteHandshake;

    PeerTimers(TimerService service, Clock clock, RandomGenerator random, Actions actions) {
        this.service = service;
        this.clock = clock;
        this.random = random;
        this.actions = actions;
    }

    // ---- events (named after wireguard-go's timers*) ----

    /** After an authenticated data packet was sent. */
    synchronized void dataSent() {
        if (!isArmed(NEW_HANDSHAKE)) {
            arm(NEW_HANDSHAKE, Protocol.KEEPALIVE_TIMEOUT + Protocol.REKEY_TIMEOUT + jitter());
        }
    }

    /** After an authenticated data packet was received. */
    synchronized void dataReceived() {
        if (!isArmed(SEND_KEEPALIVE)) {
            arm(SEND_KEEPALIVE, Protocol.KEEPALIVE_TIMEOUT);
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** After any authenticated packet (keepalive, data, handshake) was sent. */
    synchronized void anyAuthenticatedPacketSent() {
        disarm(SEND_KEEPALIVE);
    }

    /** After any authenticated packet was received. */
    synchronized void anyAuthenticatedPacketReceived() {
        disarm(NEW_HANDSHAKE);
    }

    /** Before an authenticated packet is sent or after one was received. */
    synchronized void anyAuthenticatedPacketTraversal(int persistentKeepaliveSeconds) {
        if (persistentKeepaliveSeconds > 0) {
            arm(PERSISTENT_KEEPALIVE, persistentKeepaliveSeconds * 1_000_000_000L);
        }
    }

    /** After an initiation was sent. */
    synchronized void handshakeInitiated() {
        arm(RETRANSMIT_HANDSHAKE, Protocol.REKEY_TIMEOUT + jitter());
    }

    /** After a response was consumed, or a responder's keypair was confirmed by the first data packet. */
    synchronized void handshakeComplete() {
        disarm(RETRANSMIT_HANDSHAKE);
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    /** After a session was derived (response sent or consumed). */
    synchronized void sessionDerived() {
        arm(ZERO_KEY_MATERIAL, Protocol.ZERO_KEY_MATERIAL_AFTER);
    }

    // ---- state used by the actions ----

    synchronized void resetHandshakeAttempts() {
        handshakeAttempts = 0;
    }

    /** Counts one more retransmission; false once MAX_TIMER_HANDSHAKES were made (give up). */
    synchronized boolean tryAnotherAttempt() {
        if (handshakeAttempts > Protocol.MAX_TIMER_HANDSHAKES) {
            return false;
        }
        handshakeAttempts++;
        return true;
    }

    synchronized int handshakeAttempts() {
        return handshakeAttempts;
    }

    /** After a keepalive timer fired: re-arms once more if data kept arriving meanwhile. */
    synchronized void keepaliveSent() {
        if (needAnotherKeepalive) {
            needAnotherKeepalive = false;
            arm(SEND_KEEPALIVE, Protocol.KEEPALIVE_TIMEOUT);
        }
    }

    /** True once per keypair: whether to send the "last minute" handshake of keepKeyFreshReceiving. */
    synchronized boolean claimLastMinuteHandshake() {
        if (sentLastMinuteHandshake) {
            return false;
        }
        sentLastMinuteHandshake = true;
        return true;
    }

    synchronized void disarmKeepalive() {
        disarm(SEND_KEEPALIVE);
    }

    /** Arms zeroing after a failed handshake if it is not pending already. */
    synchronized void armZeroKeyMaterialIfIdle() {
        if (!isArmed(ZERO_KEY_MATERIAL)) {
            arm(ZERO_KEY_MATERIAL, Protocol.ZERO_KEY_MATERIAL_AFTER);
        }
    }

    synchronized boolean isArmed(int timer) {
        return (armed & (1 << timer)) != 0;
    }

    /** Stops every timer for good (peer removed or device closed). */
    synchronized void stop() {
        active = false;
        armed = 0;
        if (registered) {
            registered = false;
            service.cancel(this);
        }
    }

    // ---- mechanics ----

    private long jitter() {
        return random.nextInt(Protocol.REKEY_TIMEOUT_JITTER_MAX_MS) * 1_000_000L;
    }

    private void arm(int timer, long delay) {
        if (!active) {
            return;
        }
        long when = clock.nanoTime() + delay;
        deadline[timer] = when;
        armed |= 1 << timer;
        if (!registered || when - registeredAt < 0) {
            registered = true;
            registeredAt = when;
            service.schedule(this, when);
        }
    }

    private void disarm(int timer) {
        armed &= ~(1 << timer);
    }

    /** Called by the service at a registered wake-up time. */
    void fire(long when, long now) {
        int expired = 0;
        synchronized (this) {
            if (!registered || when != registeredAt) {
                return; // superseded by an earlier registration
            }
            registered = false;
            long next = 0;
            boolean any = false;
            for (int t = 0; t < COUNT; t++) {
                if ((armed & (1 << t)) == 0) {
                    continue;
                }
                if (deadline[t] - now <= 0) {
                    expired |= 1 << t;
                    armed &= ~(1 << t);
                } else if (!any || deadline[t] - next < 0) {
                    next = deadline[t];
                    any = true;
                }
            }
            if (any && active) {
                registered = true;
                registeredAt = next;
                service.schedule(this, next);
            }
        }
        for (int t = 0; t < COUNT; t++) {
            if ((expired & (1 << t)) != 0) {
                actions.expired(t);
            }
        }
    }
}

package dev.wirehaven.wireguard.internal.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A peer's previous, current and next keypairs (whitepaper §5.4.6, §6.3 key rotation). An initiator
 * uses a new keypair at once; a responder holds it as "next" until the first transport packet from
 * the initiator confirms it. Mutations are synchronized; the hot path reads the volatile fields.
 */
final class Keypairs {

    private volatile Keypair previous;
    private volatile Keypair current;
    private volatile Keypair next;

    Keypair current() {
        return current;
    }

    Keypair next() {
        return next;
    }

    Keypair previous() {
        return previous;
    }

    /**
     * Installs a fresh keypair with the rotation of wireguard-go's BeginSymmetricSession.
     *
     * @return the keypairs that fell out, to be deleted (index released, keys cleared)
     */
    synchronized List<Keypair> install(Keypair kp) {
        List<Keypair> dropped = new ArrayList<>(2);
        if (kp.initiator) {
            if (next != null) {
                // the unconfirmed next becomes previous: the peer may still send on it
                add(dropped, previous);
                previous = next;
                next = null;
                add(dropped, current);
            } else {
                add(dropped, previous);
                previous = current;
            }
            current = kp;
        } else {
            add(dropped, next);
            next = kp;
            add(dropped, previous);
            previous = null;
        }
        return dropped;
    }

    /**
     * Promotes "next" to "current" if {@code kp} is it (key confirmation by a received packet).
     *
     * @return the keypair that fell out (or {@code null}) wrapped in a one-element list, or
     *         {@code null} if {@code kp} was not the next keypair
     */
    List<Keypair> confirm(Keypair kp) {
        if (next != kp) {
            return null;
        }
        synchronized (this) {
            if (next != kp) {
                return null;
            }
            List<Keypair> dropped = new ArrayList<>(1);
            add(dropped, previous);
            previous = current;
            current = next;
            next = null;
            return dropped;
        }
    }

    /** Removes and returns every keypair. */
    synchronized List<Keypair> clear() {
        List<Keypair> all = new ArrayList<>(3);
        add(all, previous);
        add(all, current);
        add(all, next);
        previous = null;
        current = null;
        next = null;
        return all;
    }

    /** Retires the current and next keypairs for sending (wireguard-go's ExpireCurrentKeypairs). */
    synchronized void expireForSending() {
        if (current != null) {
            current.retireForSending();
        }
        if (next != null) {
            next.retireForSending();
        }
    }

    private static void add(List<Keypair> list, Keypair kp) {
        if (kp != null) {
            list.add(kp);
        }
    }
}

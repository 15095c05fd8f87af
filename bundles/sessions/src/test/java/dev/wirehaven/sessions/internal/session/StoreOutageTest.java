package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store goes away (PostgreSQL stopped, a failover under way) and comes back, without a restart. */
class StoreOutageTest {

    private final FlowFixture fx;

    StoreOutageTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.store.up();
        fx.close();
    }

    @Test
    void aLoginDuringTheOutageIsRefusedWithRetryAfterAndWorksWhenTheStoreIsBack() throws Exception {
        fx.store.down();

        FlowException e =
                assertThrows(FlowException.class, () -> fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop"));
        assertEquals(FlowFailure.UNAVAILABLE, e.failure());
        assertEquals(SessionAccess.STORE_RETRY_AFTER, e.retryAfter());

        fx.store.up();
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        assertEquals(SessionPhase.CONFIGURED, fx.stored(c.sessionId()).phase());
    }

    @Test
    void anEstablishedTunnelOutlivesTheOutage() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        ClientDevice client = fx.handshake(c);
        fx.runtime.reaper().sweep();

        fx.store.down();
        fx.runtime.reaper().run(); // the sweep fails, the peer stays
        client.reconnect(); // a fresh handshake needs only the device
        client.awaitHandshakeOn(fx.device, c.publicKey());

        assertTrue(fx.peer(c.publicKey()).isPresent());
        FlowException e = assertThrows(FlowException.class, () -> fx.flow().status(c.sessionId(), c.token()));
        assertEquals(FlowFailure.UNAVAILABLE, e.failure());

        fx.store.up();
        assertEquals(
                SessionPhase.ACTIVE, fx.flow().status(c.sessionId(), c.token()).phase());
    }
}

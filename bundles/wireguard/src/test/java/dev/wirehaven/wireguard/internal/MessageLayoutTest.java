package dev.wirehaven.wireguard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.wireguard.internal.MessageLayout.CookieReply;
import dev.wirehaven.wireguard.internal.MessageLayout.Initiation;
import dev.wirehaven.wireguard.internal.MessageLayout.Response;
import dev.wirehaven.wireguard.internal.MessageLayout.Transport;
import org.junit.jupiter.api.Test;

/** The byte positions of every message field, against the whitepaper's structs (§5.4.2-§5.4.7). */
class MessageLayoutTest {

    @Test
    void initiationFieldsSitWhereTheWhitepaperPutsThemAndFillTheMessage() {
        assertEquals(0, MessageLayout.TYPE_OFFSET);
        assertEquals(4, Initiation.SENDER_OFFSET);
        assertEquals(8, Initiation.EPHEMERAL_OFFSET);
        assertEquals(40, Initiation.STATIC_OFFSET);
        assertEquals(88, Initiation.TIMESTAMP_OFFSET);
        assertEquals(116, Initiation.MAC1_OFFSET);
        assertEquals(132, Initiation.MAC2_OFFSET);
        assertEquals(Protocol.INITIATION_SIZE, Initiation.END);
    }

    @Test
    void responseFieldsSitWhereTheWhitepaperPutsThemAndFillTheMessage() {
        assertEquals(4, Response.SENDER_OFFSET);
        assertEquals(8, Response.RECEIVER_OFFSET);
        assertEquals(12, Response.EPHEMERAL_OFFSET);
        assertEquals(44, Response.EMPTY_OFFSET);
        assertEquals(60, Response.MAC1_OFFSET);
        assertEquals(76, Response.MAC2_OFFSET);
        assertEquals(Protocol.RESPONSE_SIZE, Response.END);
    }

    @Test
    void cookieReplyFieldsSitWhereTheWhitepaperPutsThemAndFillTheMessage() {
        assertEquals(4, CookieReply.RECEIVER_OFFSET);
        assertEquals(8, CookieReply.NONCE_OFFSET);
        assertEquals(32, CookieReply.COOKIE_OFFSET);
        assertEquals(Protocol.COOKIE_REPLY_SIZE, CookieReply.END);
    }

    @Test
    void transportHeaderEndsWhereTheEncryptedPacketBegins() {
        assertEquals(4, Transport.RECEIVER_OFFSET);
        assertEquals(8, Transport.COUNTER_OFFSET);
        assertEquals(16, Transport.PACKET_OFFSET);
        assertEquals(Protocol.TRANSPORT_HEADER_SIZE, Transport.PACKET_OFFSET);
    }

    @Test
    void initiationAndResponseCarryTheSenderIndexAtTheSamePlace() {
        // the handshake worker reads it there from either message to address a cookie reply
        assertEquals(Initiation.SENDER_OFFSET, Response.SENDER_OFFSET);
    }
}

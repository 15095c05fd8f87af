package dev.wirehaven.client.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.ClientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** How a failure to talk to the server becomes a {@link ClientException} that says why. */
class ControlClientTranslateTest {

    private final ControlClient client;

    ControlClientTranslateTest() throws NoSuchAlgorithmException {
        client = new ControlClient(
                URI.create("https://vpn.example.com:8443"),
                SSLContext.getDefault(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                "test");
    }

    @Test
    void anInterruptedCallIsCancelled() {
        ClientException e = translate(new InterruptedIOException("interrupted"));

        assertEquals(ClientException.Reason.CANCELLED, e.reason());
        assertEquals("status report to https://vpn.example.com:8443 was interrupted", e.getMessage());
    }

    @Test
    void aSocketTimeoutIsAnInterruptedIoExceptionButNotACancellation() {
        // SocketTimeoutException extends InterruptedIOException: the server did not answer in time
        ClientException e = translate(new SocketTimeoutException("Read timed out"));

        assertEquals(ClientException.Reason.UNREACHABLE, e.reason());
        assertEquals(
                "cannot reach https://vpn.example.com:8443 (status report): SocketTimeoutException: Read timed out",
                e.getMessage());
    }

    @Test
    void theHttpClientsTimeoutIsNoAnswerInTime() {
        ClientException e = translate(new HttpTimeoutException("request timed out"));

        assertEquals(ClientException.Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().endsWith("(status report): no answer in time"), e.getMessage());
    }

    @Test
    void aClientExceptionInTheCausesIsPassedOn() {
        ClientException inner = new ClientException(ClientException.Reason.REFUSED, "refused");

        assertSame(inner, client.translate("status report", new IOException("wrapped", inner)));
    }

    private ClientException translate(Throwable failure) {
        return assertInstanceOf(ClientException.class, client.translate("status report", failure));
    }
}

package dev.wirehaven.example.monitor.webhook.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one body to the webhook, synchronously: the server already calls a sink from the sink's own
 * thread (see {@code MonitoringSink}), so waiting here delays only this sink's next event.
 *
 * <p>A failure that may pass (no connection, a timeout, a 5xx) is tried again after 250 ms and then
 * after 1 s ({@link #BACKOFF}); after the third attempt the event is dropped with one WARN line.
 * A 4xx is the receiver refusing this request (a wrong path, a bad signature) and would be refused
 * again, so it is not retried; nor is a 3xx, because redirects are not followed: a redirect would
 * carry the signed event to an address nobody configured. The WARN line names the origin and the
 * event, never the path (it can hold a chat webhook's credential), the body or the secret.
 */
final class WebhookSender {

    /** Waits between attempts; tests pass one that does not wait. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Waits by sleeping the calling thread. */
    static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

    /** The waits before the second and the third attempt. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(250), Duration.ofSeconds(1));

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final WebhookUrl url;
    private final Duration timeout;
    private final BodySignature signature;
    private final Sleeper sleeper;
    private final HttpClient client;
    private volatile boolean stopped;

    /**
     * @param signature signs each body, or {@code null} to send unsigned
     */
    WebhookSender(WebhookUrl url, Duration timeout, BodySignature signature, Sleeper sleeper) {
        this.url = url;
        this.timeout = timeout;
        this.signature = signature;
        this.sleeper = sleeper;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // one small request at a time: HTTP/1.1 is enough, and spares a loopback receiver the
                // cleartext HTTP/2 upgrade that the client would otherwise offer
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Posts {@code body}, retrying as described above.
     *
     * @param event what the body reports, such as {@code auth.failure at 2026-11-25T10:15:30Z}, for the
     *        WARN line
     * @return true when the receiver answered 2xx
     */
    boolean post(String body, String event) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (signature != null) {
            request.header(BodySignature.HEADER, signature.sign(bytes));
        }
        HttpRequest built = request.build();
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                int status = client.send(built, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status >= 200 && status < 300) {
                    return true;
                }
                failure = "HTTP " + status;
                if (status < 500) {
                    LOG.warn("Webhook {}: {} dropped: {}, not retried", url, event, failure);
                    return false;
                }
            } catch (HttpTimeoutException e) {
                failure = "no answer within " + timeout.toMillis() + " ms";
            } catch (IOException e) {
                failure = e.getMessage() == null
                        ? e.getClass().getSimpleName()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Webhook {}: {} dropped: the sink is stopping", url, event);
                return false;
            }
            if (attempt > BACKOFF.size() || stopped) {
                LOG.warn(
                        "Webhook {}: {} dropped after {}: {}",
                        url,
                        event,
                        attempt == 1 ? "1 attempt" : attempt + " attempts",
                        failure);
                return false;
            }
            try {
                sleeper.sleep(BACKOFF.get(attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Webhook {}: {} dropped: the sink is stopping", url, event);
                return false;
            }
        }
    }

    /** No attempt starts after this one: the server is unregistering the sink and waits only briefly. */
    void stop() {
        stopped = true;
    }
}

package dev.wirehaven.example.monitor.webhook.internal;

import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MonitoringSink} that posts security events (from a configurable severity up) and,
 * optionally, session events as JSON to a webhook: a SIEM's HTTP collector, a chat channel's incoming
 * webhook, a small relay of your own. One request per event; see {@link EventJson} for the body,
 * {@link BodySignature} for the signature and {@link WebhookSender} for retries.
 *
 * <p>{@link WebhookSinkComponent} makes one from the configuration and registers it. A wrong {@code url}
 * or {@code timeout} fails the construction with a message naming the key, so that a mistyped address
 * shows in the log at once rather than as a webhook that stays silent.
 */
public final class WebhookSink implements MonitoringSink {

    /** The configuration PID: {@code etc/dev.wirehaven.example.monitor.webhook.cfg}. */
    public static final String PID = "dev.wirehaven.example.monitor.webhook";
    /** The sink's name. */
    public static final String NAME = "webhook";

    /** A request waits at most a minute: the server waits only briefly for a sink it unregisters. */
    static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(1);

    @ObjectClassDefinition(
            name = "Wirehaven example: webhook monitoring sink",
            description = "Posts security events (and optionally session events) as JSON to a webhook URL.")
    public @interface Config {
        @AttributeDefinition(
                name = "URL",
                description = "Where to post: https://..., or http:// to a loopback address (127.0.0.1, ::1,"
                        + " localhost) only.")
        String url() default "";

        @AttributeDefinition(
                name = "Minimum severity",
                description = "Security events at this severity or above are posted; the others are not.")
        Severity minimumSeverity() default Severity.MEDIUM;

        @AttributeDefinition(name = "Session events", description = "Also post every session event.")
        boolean sessionEvents() default false;

        @AttributeDefinition(
                name = "Secret",
                description = "When set, every request carries X-Wirehaven-Signature: sha256=<hex HMAC-SHA256"
                        + " of the body> computed with this secret.",
                type = AttributeType.PASSWORD)
        String secret() default "";

        @AttributeDefinition(
                name = "Timeout",
                description = "How long one attempt may take to connect and to get the answer: 5s, 500ms, 1m.")
        String timeout() default "5s";
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);

    private final WebhookUrl url;
    private final Severity minimumSeverity;
    private final boolean sessionEvents;
    private final WebhookSender sender;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    WebhookSink(Config config, WebhookSender.Sleeper sleeper) {
        this.url = WebhookUrl.parse(config.url());
        Duration timeout = Durations.parse("timeout", config.timeout());
        if (timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout '" + config.timeout() + "' is longer than 1m: the server"
                    + " waits only briefly for a sink it stops; set timeout=5s or so");
        }
        this.minimumSeverity = config.minimumSeverity();
        this.sessionEvents = config.sessionEvents();
        boolean signed = !config.secret().isEmpty();
        this.sender = new WebhookSender(url, timeout, signed ? new BodySignature(config.secret()) : null, sleeper);
        LOG.info(
                "Webhook sink posts security events from {} up{} to {}, {}",
                minimumSeverity,
                sessionEvents ? " and session events" : "",
                url,
                signed ? "signed" : "unsigned");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void securityEvent(SecurityEvent event) {
        if (event.severity().isAtLeast(minimumSeverity)) {
            deliver(EventJson.of(event), printable(event.type()) + " at " + event.timestamp());
        }
    }

    @Override
    public void sessionEvent(SessionEvent event) {
        if (sessionEvents) {
            deliver(EventJson.of(event), EventJson.type(event) + " at " + event.timestamp());
        }
    }

    private void deliver(String body, String event) {
        (sender.post(body, event) ? sent : failed).incrementAndGet();
    }

    /** The type as a log may show it: a plugin's own event type could hold a line break. */
    private static String printable(String type) {
        StringBuilder b = new StringBuilder(type.length());
        type.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    /** Starts no further attempt: the server is about to stop delivering to this sink. */
    void stop() {
        sender.stop();
    }

    /** Where it posts and how that went; never the path or the secret. */
    @Override
    public String toString() {
        return "webhook sink to " + url + " (sent " + sent.get() + ", failed " + failed.get() + ")";
    }
}

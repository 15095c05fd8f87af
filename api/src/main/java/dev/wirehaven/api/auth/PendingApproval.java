package dev.wirehaven.api.auth;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A login that waits for the person to approve it elsewhere: what the client shows (where to go and
 * which code to enter, as in an OAuth 2.0 device authorization, RFC 8628 section 3.2) and what only
 * the provider and the server keep (the reference).
 *
 * @param reference the provider's handle for this approval, such as the device code; kept by the
 *        server and passed back in {@link Approval#reference()}, never shown to the client; not blank
 * @param verificationUri where the person goes to approve; absolute {@code https} or {@code http}
 * @param verificationUriComplete the same with the code filled in (for a link or QR code), or {@code null}
 * @param userCode the code the person enters there, or empty when the URI carries it (a push approval)
 * @param interval how long the client waits between two requests; at least one second
 * @param expiresAt when the approval lapses and the login must start over
 * @since 1.1
 */
public record PendingApproval(
        String reference,
        URI verificationUri,
        URI verificationUriComplete,
        String userCode,
        Duration interval,
        Instant expiresAt) {

    /** Validates. */
    public PendingApproval {
        Objects.requireNonNull(reference, "reference");
        if (reference.isBlank()) {
            throw new IllegalArgumentException("the approval's reference is blank");
        }
        requireWebUri(Objects.requireNonNull(verificationUri, "verificationUri"));
        if (verificationUriComplete != null) {
            requireWebUri(verificationUriComplete);
        }
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the polling interval is shorter than one second");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The same approval with a longer interval (RFC 8628 section 3.5: {@code slow_down} adds 5 s). */
    public PendingApproval withInterval(Duration longer) {
        return new PendingApproval(reference, verificationUri, verificationUriComplete, userCode, longer, expiresAt);
    }

    private static void requireWebUri(URI uri) {
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("the verification URI is not an absolute http(s) URI");
        }
    }

    /** Leaves the reference out: it lets whoever holds it collect the person's tokens. */
    @Override
    public String toString() {
        return "PendingApproval[" + verificationUri + ", code " + userCode + ", every " + interval.toSeconds()
                + " s, until " + expiresAt + "]";
    }
}

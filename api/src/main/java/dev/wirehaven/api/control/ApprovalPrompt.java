package dev.wirehaven.api.control;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * For {@code approval_pending}: what the person must do to approve the login elsewhere (RFC 8628
 * section 3.3: go to the URI and enter the code), and when the client asks again.
 *
 * @param verificationUri where the person approves the login
 * @param verificationUriComplete the same with the code filled in, or {@code null}
 * @param userCode the code to enter there; empty when there is none to type
 * @param intervalSeconds how long the client waits before answering the same method again; at least 1
 * @param expiresAt when the approval lapses
 * @since 1.1
 */
public record ApprovalPrompt(
        URI verificationUri, URI verificationUriComplete, String userCode, long intervalSeconds, Instant expiresAt) {

    /** Validates. */
    public ApprovalPrompt {
        Objects.requireNonNull(verificationUri, "verificationUri");
        userCode = Messages.name("userCode", userCode, false);
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("intervalSeconds is below 1");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}

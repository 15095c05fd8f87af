package dev.wirehaven.api.control;

import java.time.Instant;
import java.util.Objects;

/**
 * Server to client: the resource of a {@link ResourceRequest} is open through the tunnel until
 * {@link #until()} (seed UC2, "grant access"). A refusal is an {@link ApiError} instead
 * ({@code forbidden}, or {@code step_up_required} with the prompts of the further factor).
 *
 * @param protocol as requested
 * @param destination as requested
 * @param port as requested
 * @param until when the grant lapses; the data plane closes the resource then
 * @param reason why it was granted (the deciding rule), for the user
 * @since 1.1
 */
public record ResourceGrant(String protocol, String destination, int port, Instant until, String reason) {

    /** Validates. */
    public ResourceGrant {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(until, "until");
        reason = reason == null ? "" : reason;
        if (reason.length() > 1000) {
            throw new IllegalArgumentException("reason is longer than 1000 characters");
        }
    }
}

package dev.wirehaven.api.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of an {@link AuthProvider}. Created only through the factory methods, one per
 * {@link AuthStatus}, so that each answer carries exactly what its status needs.
 *
 * <p>A failure's reason goes back to the client, so it must be safe to show: it never says which
 * part was wrong (the user name, the password, the token's signature) because that helps whoever
 * guesses. {@link #failure()} gives the standard wording. An unavailable provider's reason is the
 * opposite: it is for the operator's log (and must not contain secrets either), the client sees the
 * server's generic message.
 */
public final class AuthResult {

    /** The failure reason that the server shows when a provider gives none: says nothing specific. */
    public static final String GENERIC_FAILURE = "Authentication failed";

    private final AuthStatus status;
    private final Identity identity;
    private final String reason;
    private final List<String> nextMethods;
    private final PendingApproval pending;

    private AuthResult(AuthStatus status, Identity identity, String reason, List<String> nextMethods) {
        this(status, identity, reason, nextMethods, null);
    }

    private AuthResult(
            AuthStatus status, Identity identity, String reason, List<String> nextMethods, PendingApproval pending) {
        this.status = status;
        this.identity = identity;
        this.reason = reason;
        this.nextMethods = nextMethods;
        this.pending = pending;
    }

    /** The credential proves {@code identity}. */
    public static AuthResult success(Identity identity) {
        return new AuthResult(AuthStatus.SUCCESS, Objects.requireNonNull(identity, "identity"), "", List.of());
    }

    /** The credential is not valid, with the {@linkplain #GENERIC_FAILURE generic reason}. */
    public static AuthResult failure() {
        return failure(GENERIC_FAILURE);
    }

    /**
     * The credential is not valid.
     *
     * @param reason shown to the client: safe, and never naming which part was wrong (for example
     *        "Authentication failed" or "Account locked, contact your administrator"); not blank
     */
    public static AuthResult failure(String reason) {
        return new AuthResult(AuthStatus.FAILURE, null, requireText(reason, "reason"), List.of());
    }

    /**
     * The credential is valid, and one more factor must follow.
     *
     * @param established who the client is so far; passed to the next factor's provider
     * @param nextMethods the methods ({@link AuthProvider#method()}) of which the client may use one
     *        next, in order of preference; at least one
     */
    public static AuthResult needsAnotherFactor(Identity established, List<String> nextMethods) {
        Objects.requireNonNull(established, "established");
        List<String> methods = List.copyOf(Objects.requireNonNull(nextMethods, "nextMethods"));
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("another factor is needed but no method was named");
        }
        methods.forEach(m -> requireText(m, "method"));
        return new AuthResult(AuthStatus.NEEDS_ANOTHER_FACTOR, established, "", methods);
    }

    /**
     * The provider cannot decide now; the chain may fall back to another provider.
     *
     * @param reason for the operator's log, such as "LDAP server ldap.example.com:636 unreachable";
     *        no secrets; not blank
     */
    public static AuthResult unavailable(String reason) {
        return new AuthResult(AuthStatus.UNAVAILABLE, null, requireText(reason, "reason"), List.of());
    }

    /**
     * The login waits for the person to approve it elsewhere ({@link CredentialKind#APPROVAL}); the
     * client shows {@code approval} and asks again after its interval.
     *
     * @since 1.1
     */
    public static AuthResult pending(PendingApproval approval) {
        return new AuthResult(AuthStatus.PENDING, null, "", List.of(), Objects.requireNonNull(approval, "approval"));
    }

    /**
     * The approval being waited for ({@link AuthStatus#PENDING}); empty otherwise.
     *
     * @since 1.1
     */
    public Optional<PendingApproval> pendingApproval() {
        return Optional.ofNullable(pending);
    }

    /** Which of the answers this is. */
    public AuthStatus status() {
        return status;
    }

    /** True for {@link AuthStatus#SUCCESS}. */
    public boolean isSuccess() {
        return status == AuthStatus.SUCCESS;
    }

    /**
     * The identity proven ({@link AuthStatus#SUCCESS}) or established so far
     * ({@link AuthStatus#NEEDS_ANOTHER_FACTOR}); empty otherwise.
     */
    public Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    /** The failure or unavailability reason; empty for the other statuses. */
    public String reason() {
        return reason;
    }

    /** The methods that may follow ({@link AuthStatus#NEEDS_ANOTHER_FACTOR}); empty otherwise. */
    public List<String> nextMethods() {
        return nextMethods;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthResult r
                && status == r.status
                && Objects.equals(identity, r.identity)
                && reason.equals(r.reason)
                && nextMethods.equals(r.nextMethods)
                && Objects.equals(pending, r.pending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, identity, reason, nextMethods, pending);
    }

    @Override
    public String toString() {
        return switch (status) {
            case SUCCESS -> "AuthResult[SUCCESS " + identity.user() + "]";
            case FAILURE -> "AuthResult[FAILURE " + reason + "]";
            case NEEDS_ANOTHER_FACTOR ->
                "AuthResult[NEEDS_ANOTHER_FACTOR " + identity.user() + " next " + nextMethods + "]";
            case UNAVAILABLE -> "AuthResult[UNAVAILABLE " + reason + "]";
            case PENDING -> "AuthResult[PENDING " + pending + "]";
        };
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is blank");
        }
        return value;
    }
}

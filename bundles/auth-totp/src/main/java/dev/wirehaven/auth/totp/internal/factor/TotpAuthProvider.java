package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.OneTimeCode;
import dev.wirehaven.server.support.store.StoreException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The auth method {@value #METHOD}: a second factor that checks a code from the user's authenticator app
 * (RFC 6238) or one of the user's backup codes, for the user an earlier factor proved. Asked as a first
 * factor, it refuses: a code proves nothing without knowing whose it is.
 *
 * <p>Answers: SUCCESS with the established identity (for a backup code, with the attributes
 * {@value #BACKUP_CODE_ATTRIBUTE}{@code =true} and {@value #BACKUP_CODES_LEFT_ATTRIBUTE}, so that the
 * server's events can say that a backup code was used and how many remain); FAILURE with the generic
 * reason for a wrong, used, old or malformed code and for a user without a confirmed authenticator alike;
 * UNAVAILABLE when the store or the key file cannot be used. Rate limiting is the server's.
 */
@Component(service = AuthProvider.class, property = AuthProvider.METHOD_PROPERTY + "=" + TotpAuthProvider.METHOD)
public final class TotpAuthProvider implements AuthProvider {

    /** The method name that clients see in the auth challenge. */
    public static final String METHOD = "totp";

    static final String PROMPT = "Code from your authenticator app (or a backup code)";

    /** On the identity of a login by backup code: {@code true}. */
    public static final String BACKUP_CODE_ATTRIBUTE = "wirehaven.auth.backupCode";

    /** On the identity of a login by backup code: how many unused backup codes the user has left. */
    public static final String BACKUP_CODES_LEFT_ATTRIBUTE = "wirehaven.auth.backupCodesLeft";

    private final Verification verification;

    @Activate
    public TotpAuthProvider(@Reference TotpUsers users) {
        this(users.verification());
    }

    TotpAuthProvider(Verification verification) {
        this.verification = verification;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Set<CredentialKind> credentialKinds() {
        return Set.of(CredentialKind.ONE_TIME_CODE);
    }

    @Override
    public String prompt(CredentialKind kind) {
        return kind == CredentialKind.ONE_TIME_CODE ? PROMPT : kind.standardPrompt();
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        if (!(request.credential() instanceof OneTimeCode code) || !request.isFurtherFactor()) {
            return AuthResult.failure();
        }
        Identity established = request.establishedIdentity();
        Verification.Verdict verdict;
        try {
            verdict = verification.check(established.user(), code.code());
        } catch (StoreException e) {
            return AuthResult.unavailable("The TOTP store cannot be read: " + e.getMessage());
        } catch (Verification.UnavailableException e) {
            return AuthResult.unavailable(e.getMessage());
        }
        return switch (verdict.outcome()) {
            case ACCEPTED -> AuthResult.success(established);
            case ACCEPTED_BACKUP_CODE -> AuthResult.success(byBackupCode(established, verdict.backupCodesLeft()));
            case REFUSED, NOT_ENROLLED -> AuthResult.failure();
        };
    }

    /**
     * True when the user has a confirmed authenticator. When the store cannot say, true: a realm that asks
     * enrolled users for a second factor then asks, and the check answers UNAVAILABLE, rather than skipping
     * the factor of someone who set it up.
     */
    @Override
    public boolean enrolled(Identity identity) {
        try {
            return verification.enrolled(identity.user());
        } catch (StoreException e) {
            return true;
        }
    }

    private static Identity byBackupCode(Identity established, int left) {
        Map<String, String> attributes = new TreeMap<>(established.attributes());
        attributes.put(BACKUP_CODE_ATTRIBUTE, "true");
        attributes.put(BACKUP_CODES_LEFT_ATTRIBUTE, Integer.toString(left));
        return new Identity(established.user(), established.groups(), attributes, established.validUntil());
    }
}

package dev.wirehaven.example.auth.statictoken.internal;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.BearerToken;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * An {@link AuthProvider} for static bearer tokens, such as API tokens for automation. Each
 * configured entry maps the SHA-256 of a token to a user and groups. A presented token is hashed and
 * compared with every entry in constant time, so neither timing nor an early exit tells how close a
 * guess came.
 *
 * <p>It activates without configuration (configuration policy OPTIONAL): with no tokens configured,
 * it answers "failure" to everything, so dropping the jar in {@code deploy/} registers the service
 * at once and opens nothing. A configuration change re-creates the component with the new tokens.
 */
@Component(
        service = AuthProvider.class,
        configurationPid = StaticTokenAuthProvider.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = AuthProvider.METHOD_PROPERTY + "=" + StaticTokenAuthProvider.METHOD)
@Designate(ocd = StaticTokenAuthProvider.Config.class)
public final class StaticTokenAuthProvider implements AuthProvider {

    /** The configuration PID: {@code etc/dev.wirehaven.example.auth.statictoken.cfg}. */
    public static final String PID = "dev.wirehaven.example.auth.statictoken";
    /** The method name that clients and configuration use. */
    public static final String METHOD = "static-token";

    @ObjectClassDefinition(
            name = "Wirehaven example: static token auth provider",
            description = "Bearer tokens accepted by the static-token method, configured as SHA-256 hashes.")
    public @interface Config {
        @AttributeDefinition(
                name = "Tokens",
                description = "One entry per token: <user>:<hex SHA-256 of the token>:"
                        + "<comma-separated groups>. Make tokens random (at least 128 bits, e.g. openssl rand -base64 32) "
                        + "and hash them with: printf %s \"$TOKEN\" | sha256sum")
        String[] tokens() default {};
    }

    private final List<TokenEntry> entries;

    @Activate
    public StaticTokenAuthProvider(Config config) {
        this(List.of(config.tokens()));
    }

    /** @param lines configuration lines; a bad line fails activation with its position, not its content */
    StaticTokenAuthProvider(List<String> lines) {
        List<TokenEntry> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                parsed.add(TokenEntry.parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tokens[" + i + "] in " + PID + " is invalid: " + e.getMessage(), e);
            }
        }
        this.entries = List.copyOf(parsed);
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Set<CredentialKind> credentialKinds() {
        return Set.of(CredentialKind.BEARER_TOKEN);
    }

    /**
     * What the stock client shows the person (SDK 1.1): it asks by the kind of credential, so this
     * method's name means nothing to it. Plain text, one line.
     */
    @Override
    public String prompt(CredentialKind kind) {
        return "API token issued by your operator";
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        if (!(request.credential() instanceof BearerToken token)) {
            return AuthResult.failure();
        }
        byte[] presented = sha256(token.token());
        TokenEntry match = null;
        for (TokenEntry entry : entries) {
            // no early exit: every entry is compared, whether or not an earlier one matched
            if (MessageDigest.isEqual(presented, entry.sha256()) && match == null) {
                match = entry;
            }
        }
        if (match == null) {
            return AuthResult.failure();
        }
        return AuthResult.success(new Identity(match.user(), match.groups(), Map.of("auth.method", METHOD)));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java SE runtime, yet it is missing", e);
        }
    }
}

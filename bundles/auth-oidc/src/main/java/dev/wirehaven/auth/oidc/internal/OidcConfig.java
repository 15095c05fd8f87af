package dev.wirehaven.auth.oidc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The factory configuration {@value OidcProviderComponent#FACTORY_PID}: one per identity provider,
 * for example {@code etc/dev.wirehaven.auth.oidc-corp.config}. {@link OidcConfiguration} checks it.
 */
@ObjectClassDefinition(
        name = "Wirehaven OIDC auth provider",
        description = "An OpenID Connect identity provider as a Wirehaven auth method: people log in with the"
                + " device authorization grant (RFC 8628) in their browser, automation presents a JWT access or ID"
                + " token. One configuration per identity provider.")
public @interface OidcConfig {

    @AttributeDefinition(
            name = "Method",
            description = "The auth method's name that clients and the server's realms use: lower case letters,"
                    + " digits and hyphens. Two configurations with the same method are asked in descending ranking.")
    String method() default "oidc";

    @AttributeDefinition(
            name = "Ranking",
            description = "service.ranking of this provider among those of the same method: higher is asked first,"
                    + " a lower one is the fallback when a higher one is unavailable.")
    int service_ranking() default 0;

    @AttributeDefinition(
            name = "Issuer",
            description = "The provider's issuer URL, exactly as in its tokens' iss claim, e.g."
                    + " https://sso.example.com/realms/corp. Its metadata is read from"
                    + " <issuer>/.well-known/openid-configuration. https; http only on a loopback address.")
    String issuer();

    @AttributeDefinition(name = "Client ID", description = "The client registered at the provider for Wirehaven.")
    String clientId();

    @AttributeDefinition(
            name = "Client secret file",
            description = "For a confidential client only: a file (owner-only) whose content is the client secret."
                    + " Empty for a public client. A file, so that the secret never appears in configuration"
                    + " listings.",
            required = false)
    String clientSecretFile() default "";

    @AttributeDefinition(
            name = "Scopes",
            description = "The scopes that the device login asks for, separated by spaces; must include openid.")
    String scopes() default "openid profile email";

    @AttributeDefinition(
            name = "Audience",
            description = "The aud value that presented access tokens must carry. Empty: the client ID.",
            required = false)
    String audience() default "";

    @AttributeDefinition(
            name = "User name claim",
            description = "The claim that holds the user name; the sub claim when a token does not have it.")
    String usernameClaim() default "preferred_username";

    @AttributeDefinition(
            name = "Groups claim",
            description = "The claim that holds the user's groups: a JSON array of strings. A dotted path reaches"
                    + " into objects, e.g. realm_access.roles. Looked for in the ID token, then in the access token.")
    String groupsClaim() default "groups";

    @AttributeDefinition(
            name = "Clock skew (seconds)",
            description = "How far the provider's clock may be off: tolerated on exp, nbf and iat.")
    int clockSkewSeconds() default 60;

    @AttributeDefinition(
            name = "Device login",
            description = "Offer the device authorization grant: the person approves the login in a browser.")
    boolean deviceGrant() default true;

    @AttributeDefinition(
            name = "Accept bearer tokens",
            description = "Accept a JWT access or ID token that the client presents directly (automation).")
    boolean acceptBearerTokens() default true;

    @AttributeDefinition(
            name = "HTTP timeout (ms)",
            description = "Connect and read timeout of each request to the provider (metadata, keys, device and"
                    + " token endpoints).")
    int httpTimeoutMillis() default 5000;

    @AttributeDefinition(
            name = "Approval prompt",
            description = "What the client shows for the device login. Empty: the standard wording.",
            required = false)
    String approvalPrompt() default "";

    @AttributeDefinition(
            name = "Token prompt",
            description = "What the client asks for when it may present a token. Empty: the standard wording.",
            required = false)
    String bearerTokenPrompt() default "";
}

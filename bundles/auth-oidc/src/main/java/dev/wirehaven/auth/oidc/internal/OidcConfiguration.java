package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One identity provider's settings, checked: what {@link OidcConfig} says, with the defaults filled in
 * and the client secret read from its file. A value that cannot be used fails activation with an
 * {@link IllegalArgumentException} that names the configuration and the key, never a secret.
 *
 * @param clientSecret the confidential client's secret, or {@code null} for a public client
 * @param audience the {@code aud} that presented access tokens must carry
 */
record OidcConfiguration(
        String method,
        int ranking,
        Issuer issuer,
        ClientID clientId,
        Secret clientSecret,
        Scope scopes,
        String audience,
        String usernameClaim,
        String groupsClaim,
        Duration clockSkew,
        boolean deviceGrant,
        boolean acceptBearerTokens,
        Duration httpTimeout,
        String approvalPrompt,
        String bearerTokenPrompt) {

    private static final Logger LOG = LoggerFactory.getLogger(OidcConfiguration.class);
    /** The API's rule for method names. */
    private static final Pattern METHOD = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** A secret file larger than this is a mistake (a key store, a log), not a client secret. */
    private static final long MAX_SECRET_BYTES = 4096;

    /**
     * Checks {@code config}.
     *
     * @param origin where it came from, for the messages
     * @throws IllegalArgumentException naming the key that cannot be used
     */
    static OidcConfiguration from(OidcConfig config, ConfigurationOrigin origin) {
        String where = "in " + origin.describe();
        String method = config.method() == null ? "" : config.method().strip();
        if (!METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException("method '" + method + "' " + where
                    + " is not a method name: use lower case letters, digits and hyphens");
        }
        Issuer issuer = new Issuer(checkIssuer(config.issuer(), where));
        String clientId = required(config.clientId(), "clientId", where);
        Secret secret = readSecret(config.clientSecretFile(), where);
        Scope parsed =
                Scope.parse(config.scopes() == null ? "" : config.scopes().strip());
        Scope scopes = parsed == null ? new Scope() : parsed;
        if (config.deviceGrant() && !scopes.contains("openid")) {
            throw new IllegalArgumentException("scopes '" + config.scopes() + "' " + where
                    + " lack openid, without which the device login gets no ID token: add it");
        }
        String audience = blankToNull(config.audience());
        if (config.clockSkewSeconds() < 0 || config.clockSkewSeconds() > 3600) {
            throw new IllegalArgumentException(
                    "clockSkewSeconds " + config.clockSkewSeconds() + " " + where + " is not between 0 and 3600");
        }
        if (config.httpTimeoutMillis() < 100 || config.httpTimeoutMillis() > 60_000) {
            throw new IllegalArgumentException("httpTimeoutMillis " + config.httpTimeoutMillis() + " " + where
                    + " is not between 100 and 60000: a request thread waits that long for the provider");
        }
        if (!config.deviceGrant() && !config.acceptBearerTokens()) {
            throw new IllegalArgumentException("deviceGrant and acceptBearerTokens are both false " + where
                    + ": the provider would accept nothing; enable one of them");
        }
        return new OidcConfiguration(
                method,
                config.service_ranking(),
                issuer,
                new ClientID(clientId),
                secret,
                scopes,
                audience == null ? clientId : audience,
                required(config.usernameClaim(), "usernameClaim", where),
                required(config.groupsClaim(), "groupsClaim", where),
                Duration.ofSeconds(config.clockSkewSeconds()),
                config.deviceGrant(),
                config.acceptBearerTokens(),
                Duration.ofMillis(config.httpTimeoutMillis()),
                blankToNull(config.approvalPrompt()),
                blankToNull(config.bearerTokenPrompt()));
    }

    /** How the client proves itself at the token and device endpoints; empty for a public client. */
    Optional<ClientAuthentication> clientAuthentication() {
        return clientSecret == null ? Optional.empty() : Optional.of(new ClientSecretBasic(clientId, clientSecret));
    }

    /** The HTTP timeout in the milliseconds that the HTTP clients take. */
    int httpTimeoutMillis() {
        return (int) httpTimeout.toMillis();
    }

    /** Never shows the secret, only whether there is one. */
    @Override
    public String toString() {
        return "OidcConfiguration[method=" + method + ", issuer=" + issuer + ", clientId=" + clientId
                + (clientSecret == null ? ", public client" : ", client secret redacted") + ", scopes=" + scopes
                + ", audience=" + audience + ", usernameClaim=" + usernameClaim + ", groupsClaim=" + groupsClaim
                + ", clockSkew=" + clockSkew + ", deviceGrant=" + deviceGrant + ", acceptBearerTokens="
                + acceptBearerTokens + "]";
    }

    /**
     * The issuer must be https so that its keys and tokens cannot be swapped on the way; plain http is
     * accepted on a loopback address only, where nothing is on the way (tests, a provider on the same host).
     */
    private static String checkIssuer(String value, String where) {
        String text = required(value, "issuer", where);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "issuer '" + text + "' " + where + " is not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("issuer '" + text + "' " + where
                    + " is not an absolute URL with a host and without query or fragment");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(uri.getHost()))) {
            throw new IllegalArgumentException(
                    "issuer '" + text + "' " + where + " must be https (http is accepted only on a loopback address)");
        }
        // the issuer is compared exactly with the tokens' iss claim; a trailing slash is part of it
        return text;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost: no lookup at activation, and no trust in one
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Secret readSecret(String file, String where) {
        String name = blankToNull(file);
        if (name == null) {
            return null;
        }
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("clientSecretFile '" + name + "' " + where + " is not a path", e);
        }
        try {
            if (Files.size(path) > MAX_SECRET_BYTES) {
                throw new IllegalArgumentException("clientSecretFile " + path + " " + where + " is larger than "
                        + MAX_SECRET_BYTES + " bytes: it does not hold just a client secret");
            }
            if (!OwnerOnlyFiles.isOwnerOnly(path)) {
                LOG.warn(
                        "The client secret file {} {} can be read by other users than its owner:" + " chmod 600 it",
                        path,
                        where);
            }
            // the trailing newline that editors and echo add is not part of the secret
            String secret = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("clientSecretFile " + path + " " + where + " is empty");
            }
            return new Secret(secret);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "clientSecretFile " + path + " " + where + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String required(String value, String key, String where) {
        String v = blankToNull(value);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing " + where);
        }
        return v;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

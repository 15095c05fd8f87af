package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.PendingApproval;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth 2.0 device authorization grant (RFC 8628) from the client's side, as the server runs it
 * for a VPN client that has no browser of its own:
 *
 * <ol>
 *   <li>{@link #start}: a device authorization request (§3.1) to the provider's
 *       {@code device_authorization_endpoint}; its answer (§3.2) becomes a PENDING result whose
 *       reference is the device code, and what the person must see (verification URI, user code).
 *   <li>{@link #poll}: a token request with the device code grant (§3.4). The provider answers (§3.5)
 *       {@code authorization_pending} (PENDING again, with the same data), {@code slow_down} (PENDING
 *       with an interval 5 s longer, kept for the next polls), {@code access_denied} or
 *       {@code expired_token} (FAILURE), or tokens, which the caller turns into an identity.
 * </ol>
 *
 * <p>A provider that cannot be reached, answers with a server error or with something that is not
 * OAuth gives UNAVAILABLE; so does an error that says our registration is wrong ({@code invalid_client},
 * {@code unauthorized_client}), since that is for the operator to fix and not the person's failure.
 * The interval is the client's to keep: the server relays it and the client waits.
 */
final class DeviceAuthorization {

    /** RFC 8628 §3.5: each {@code slow_down} adds 5 seconds to the polling interval. */
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

    /** RFC 8628 §3.2: the interval when the provider names none. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    /** The answer to a poll whose pending entry has expired or was never kept. */
    static final String APPROVAL_EXPIRED = "The login approval has expired; start the login again";

    /** What the caller makes of an approved login's tokens. */
    @FunctionalInterface
    interface ApprovedLogin {
        /** The identity, or a failure when the tokens do not verify. */
        AuthResult identify(OIDCTokens tokens) throws ProviderUnavailableException;
    }

    private final OidcConfiguration config;
    private final Clock clock;
    private final PendingApprovals pending;

    DeviceAuthorization(OidcConfiguration config, Clock clock, PendingApprovals pending) {
        this.config = config;
        this.clock = clock;
        this.pending = pending;
    }

    /** Starts a device login at the provider: PENDING with what the person must see, or UNAVAILABLE. */
    AuthResult start(OIDCProviderMetadata metadata) throws ProviderUnavailableException {
        URI endpoint = metadata.getDeviceAuthorizationEndpointURI();
        if (endpoint == null) {
            throw new ProviderUnavailableException("The OIDC provider " + config.issuer()
                    + " has no device_authorization_endpoint: it does not offer the device login;"
                    + " set deviceGrant=false or enable the grant there");
        }
        DeviceAuthorizationRequest request = config.clientAuthentication()
                .map(auth -> new DeviceAuthorizationRequest(endpoint, auth, config.scopes(), Map.of()))
                .orElseGet(() -> new DeviceAuthorizationRequest(endpoint, config.clientId(), config.scopes()));
        Instant now = clock.instant();
        HTTPResponse http = send(request.toHTTPRequest(), "device authorization endpoint");
        DeviceAuthorizationResponse response;
        try {
            response = DeviceAuthorizationResponse.parse(http);
        } catch (ParseException e) {
            throw new ProviderUnavailableException(
                    "The OIDC provider's device authorization endpoint " + endpoint + " answered HTTP "
                            + http.getStatusCode() + " that is not an OAuth answer: " + e.getMessage(),
                    e);
        }
        if (!response.indicatesSuccess()) {
            throw refused("device authorization", response.toErrorResponse().getErrorObject());
        }
        DeviceAuthorizationSuccessResponse success = response.toSuccessResponse();
        PendingApproval approval;
        try {
            Duration interval =
                    success.getInterval() >= 1 ? Duration.ofSeconds(success.getInterval()) : DEFAULT_INTERVAL;
            approval = new PendingApproval(
                    success.getDeviceCode().getValue(),
                    success.getVerificationURI(),
                    success.getVerificationURIComplete(),
                    success.getUserCode().getValue(),
                    interval,
                    now.plusSeconds(success.getLifetime()));
        } catch (IllegalArgumentException e) {
            throw new ProviderUnavailableException(
                    "The OIDC provider's device authorization answer cannot be shown to a person: " + e.getMessage(),
                    e);
        }
        pending.put(approval);
        return AuthResult.pending(approval);
    }

    /**
     * Asks the provider whether the person approved the login of {@code reference} (its device code).
     *
     * @param onTokens turns the tokens of an approved login into the answer (the identity, or a failure)
     */
    AuthResult poll(OIDCProviderMetadata metadata, String reference, ApprovedLogin onTokens)
            throws ProviderUnavailableException {
        Optional<PendingApproval> known = pending.get(reference);
        URI endpoint = metadata.getTokenEndpointURI();
        if (endpoint == null) {
            throw new ProviderUnavailableException("The OIDC provider " + config.issuer() + " has no token_endpoint");
        }
        AuthorizationGrant grant = new DeviceCodeGrant(new DeviceCode(reference));
        TokenRequest request = config.clientAuthentication()
                .map(auth -> new TokenRequest.Builder(endpoint, auth, grant))
                .orElseGet(() -> new TokenRequest.Builder(endpoint, config.clientId(), grant))
                .build();
        HTTPResponse http = send(request.toHTTPRequest(), "token endpoint");
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http);
        } catch (ParseException e) {
            throw new ProviderUnavailableException(
                    "The OIDC provider's token endpoint " + endpoint + " answered HTTP " + http.getStatusCode()
                            + " that is not an OAuth answer: " + e.getMessage(),
                    e);
        }
        if (response.indicatesSuccess()) {
            pending.remove(reference);
            if (!(response instanceof OIDCTokenResponse tokens)
                    || tokens.getOIDCTokens().getIDToken() == null) {
                throw new ProviderUnavailableException("The OIDC provider " + config.issuer()
                        + " answered the device login without an ID token: does the client's scope include openid?");
            }
            return onTokens.identify(tokens.getOIDCTokens());
        }
        ErrorObject error = response.toErrorResponse().getErrorObject();
        String code = error.getCode() == null ? "" : error.getCode();
        switch (code) {
            case "authorization_pending":
                return known.map(AuthResult::pending).orElseGet(() -> AuthResult.failure(APPROVAL_EXPIRED));
            case "slow_down":
                if (known.isEmpty()) {
                    return AuthResult.failure(APPROVAL_EXPIRED);
                }
                PendingApproval slower =
                        known.get().withInterval(known.get().interval().plus(SLOW_DOWN_STEP));
                pending.put(slower);
                return AuthResult.pending(slower);
            case "access_denied":
            case "expired_token":
            case "invalid_grant": // a device code that the provider does not know (any more)
                pending.remove(reference);
                return AuthResult.failure();
            default:
                throw refused("device token", error);
        }
    }

    private HTTPResponse send(HTTPRequest request, String what) throws ProviderUnavailableException {
        request.setConnectTimeout(config.httpTimeoutMillis());
        request.setReadTimeout(config.httpTimeoutMillis());
        HTTPResponse response;
        try {
            response = request.send();
        } catch (IOException e) {
            throw new ProviderUnavailableException(
                    "The OIDC provider's " + what + " " + request.getURI() + " cannot be reached: " + e.getMessage(),
                    e);
        }
        if (response.getStatusCode() >= 500 || response.getStatusCode() == 429) {
            throw new ProviderUnavailableException("The OIDC provider's " + what + " " + request.getURI()
                    + " answered HTTP " + response.getStatusCode());
        }
        return response;
    }

    private ProviderUnavailableException refused(String what, ErrorObject error) {
        return new ProviderUnavailableException("The OIDC provider " + config.issuer() + " refused the " + what
                + " request of client " + config.clientId() + ": " + error.getCode()
                + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
    }
}

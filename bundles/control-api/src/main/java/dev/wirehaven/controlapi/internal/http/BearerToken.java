package dev.wirehaven.controlapi.internal.http;

import java.util.regex.Pattern;

/**
 * The session token of a request, from {@code Authorization: Bearer <token>} (RFC 6750 2.1). A header
 * that is missing or not of that form is refused here; whether the token is valid for the session is
 * the flow's decision.
 */
final class BearerToken {

    private static final String SCHEME = "Bearer";
    /** RFC 6750's b64token, bounded: the server's tokens are far shorter. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]{1,512}=*");

    private BearerToken() {}

    /**
     * @param header the value of the {@code Authorization} header, or {@code null}
     * @return the token without the scheme
     * @throws ApiRefusal 401 when there is no header or it does not carry a bearer token
     */
    static String from(String header) throws ApiRefusal {
        if (header == null || header.isBlank()) {
            throw ApiRefusal.unauthorized("This call needs the session token: send 'Authorization: Bearer <token>'"
                    + " with the token that authentication answered");
        }
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !SCHEME.equalsIgnoreCase(value.substring(0, space))) {
            throw ApiRefusal.unauthorized("The Authorization header is not of the form 'Bearer <token>'");
        }
        String token = value.substring(space + 1).trim();
        if (!TOKEN.matcher(token).matches()) {
            throw ApiRefusal.unauthorized("The Authorization header does not carry a well-formed bearer token");
        }
        return token;
    }
}

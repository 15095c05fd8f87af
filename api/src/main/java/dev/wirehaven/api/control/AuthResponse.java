package dev.wirehaven.api.control;

/**
 * Step 3, client to server ({@code POST /api/v1/sessions/{id}/auth}, and again for re-authentication):
 * the credential for one method. Only the fields of that method are set.
 *
 * @param method the method being answered, one of the challenge's methods
 * @param username the user name ({@code password} and methods that name a user)
 * @param password the password ({@code password})
 * @param oneTimeCode a one-time code ({@code totp}, and a second factor after {@code password})
 * @param token a bearer token issued by an identity provider ({@code oidc}, {@code token})
 */
public record AuthResponse(String method, String username, String password, String oneTimeCode, String token) {

    /** Validates the method and the user name; secrets are only checked for presence by the server. */
    public AuthResponse {
        method = Messages.name("method", method, true);
        username = Messages.name("username", username, false);
    }

    /** Hides the secrets, so that a logged message never carries them. */
    @Override
    public String toString() {
        return "AuthResponse[method=" + method + ", username=" + username + "]";
    }
}

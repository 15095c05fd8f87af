package dev.wirehaven.auth.oidc.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wirehaven.api.auth.Identity;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns verified claims into an {@link Identity}: the user name from the configured claim (the
 * {@code sub} when a token lacks it), the groups from the configured claim, the attributes
 * {@code sub}, {@code email} and {@code iss}, and {@code validUntil} from {@code exp}, so that the
 * server ends or renews the session when the token lapses.
 *
 * <p><b>The groups claim</b> is a JSON array of strings (a single string counts as one group; other
 * values are skipped). Its name is first looked up as it is, because some providers use URLs as claim
 * names ({@code https://example.com/groups}); if there is no such claim, a dotted name is a path into
 * nested objects, as Keycloak's {@code realm_access.roles}.
 */
final class ClaimsIdentity {

    private final String usernameClaim;
    private final String groupsClaim;

    ClaimsIdentity(String usernameClaim, String groupsClaim) {
        this.usernameClaim = usernameClaim;
        this.groupsClaim = groupsClaim;
    }

    /** The identity of a presented token, from its own claims. */
    Identity of(JWTClaimsSet token) throws InvalidTokenException {
        return of(token, Optional.empty());
    }

    /**
     * The identity of a login's ID token; the groups come from the access token when the ID token does
     * not carry the groups claim (Keycloak puts {@code realm_access} only into access tokens).
     *
     * @param accessToken the verified claims of the access token that came with it, if it is a JWT
     */
    Identity of(JWTClaimsSet idToken, Optional<JWTClaimsSet> accessToken) throws InvalidTokenException {
        String sub = idToken.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new InvalidTokenException("the token has no sub claim");
        }
        Date exp = idToken.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException("the token has no exp claim");
        }
        Object named = idToken.getClaim(usernameClaim);
        String user = named instanceof String s && !s.isBlank() ? s.strip() : sub;

        Object groups = claim(idToken, groupsClaim);
        if (groups == null && accessToken.isPresent()) {
            groups = claim(accessToken.get(), groupsClaim);
        }

        Map<String, String> attributes = new TreeMap<>();
        attributes.put("sub", sub);
        if (idToken.getClaim("email") instanceof String email && !email.isBlank()) {
            attributes.put("email", email);
        }
        if (idToken.getIssuer() != null) {
            attributes.put("iss", idToken.getIssuer());
        }
        Instant validUntil = exp.toInstant();
        return new Identity(user, groupNames(groups), attributes, validUntil);
    }

    /** The claim named {@code name}, or the value at the dotted path {@code name}; null when neither exists. */
    static Object claim(JWTClaimsSet claims, String name) {
        Object direct = claims.getClaim(name);
        if (direct != null || !name.contains(".")) {
            return direct;
        }
        Object current = claims.getClaims();
        for (String step : name.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> object)) {
                return null;
            }
            current = object.get(step);
        }
        return current;
    }

    private static Set<String> groupNames(Object value) {
        Set<String> groups = new LinkedHashSet<>();
        if (value instanceof String single) {
            addGroup(groups, single);
        } else if (value instanceof Collection<?> many) {
            for (Object item : many) {
                if (item instanceof String name) {
                    addGroup(groups, name);
                }
            }
        }
        return groups;
    }

    private static void addGroup(Set<String> groups, String name) {
        if (!name.isBlank()) {
            groups.add(name.strip());
        }
    }
}

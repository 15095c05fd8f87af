package dev.wirehaven.console.internal;

import dev.wirehaven.api.admin.AdminAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the Felix Web Console with the Wirehaven admin credential over HTTP Basic.
 *
 * <p>The console asks the highest-ranked {@link SecurityProvider}; its built-in provider (which
 * accepts admin/admin unless reconfigured) is registered at the lowest ranking, so this one takes
 * precedence. The distribution also sets the framework property
 * {@code felix.webconsole.security.providers=wirehaven}, which makes the console wait for a provider
 * whose {@value SecurityProvider#PROPERTY_ID} is {@value #ID}: the console never starts guarded by
 * the built-in default. This component in turn needs the {@link AdminAuthenticator}, which exists
 * only once the admin credential does; so the chain fails closed.
 *
 * <p>Basic auth sends the password with every request; serve the console over HTTPS or bind it to
 * the loopback interface.
 */
@Component(
        service = SecurityProvider.class,
        property = SecurityProvider.PROPERTY_ID + "=" + WirehavenSecurityProvider.ID)
public final class WirehavenSecurityProvider implements SecurityProvider {

    /** The value for {@code felix.webconsole.security.providers}. */
    public static final String ID = "wirehaven";

    static final String CHALLENGE = "Basic realm=\"Wirehaven console\", charset=\"UTF-8\"";

    /** Request attributes of the OSGi HTTP specification, which the console's own provider also sets. */
    static final String AUTHENTICATION_TYPE = "org.osgi.service.http.authentication.type";

    static final String REMOTE_USER = "org.osgi.service.http.authentication.remote.user";

    private static final Logger LOG = LoggerFactory.getLogger(WirehavenSecurityProvider.class);

    private final ConsoleLogin login;

    @Activate
    public WirehavenSecurityProvider(@Reference(name = "adminAuthenticator") AdminAuthenticator authenticator) {
        this.login = new ConsoleLogin(authenticator);
    }

    /**
     * Returns the admin user when the request carries the admin credential; otherwise answers 401
     * with a Basic challenge and returns {@code null}, which tells the console to stop there.
     */
    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        Optional<AdminUser> user = login.login(request.getHeader("Authorization"), request.getRemoteAddr());
        if (user.isPresent()) {
            request.setAttribute(AUTHENTICATION_TYPE, HttpServletRequest.BASIC_AUTH);
            request.setAttribute(REMOTE_USER, user.get().name());
            return user.get();
        }
        response.setHeader("WWW-Authenticate", CHALLENGE);
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentLength(0);
        try {
            response.flushBuffer();
        } catch (IOException e) {
            // the client went away; there is nobody left to challenge
            LOG.debug("Could not send the login challenge", e);
        }
        return null;
    }

    /** There is one role: the admin may do everything the console offers. */
    @Override
    public boolean authorize(Object user, String role) {
        return user instanceof AdminUser;
    }

    /**
     * Nothing to end: with Basic auth the browser keeps the credential until it is closed, and the
     * server holds no session.
     */
    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // Basic auth keeps no server-side state; see the method comment
    }
}

package dev.wirehaven.console.internal;

import dev.wirehaven.api.admin.AdminAuthenticator;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SecurityEvents;
import dev.wirehaven.api.monitor.Severity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
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
 * the loopback interface. Because a browser also sends it with requests that other pages make, every
 * request first passes the {@link ForgeryGuard} (Host, Origin/Referer): the console has no CSRF
 * token of its own. The guard covers every console page, Felix's own (bundle upload, configuration)
 * included, since the console asks this provider for each of them.
 */
@Component(
        service = SecurityProvider.class,
        configurationPid = WirehavenSecurityProvider.PID,
        property = SecurityProvider.PROPERTY_ID + "=" + WirehavenSecurityProvider.ID)
@Designate(ocd = WirehavenSecurityProvider.Config.class)
public final class WirehavenSecurityProvider implements SecurityProvider {

    /** Configuration PID, optional: {@code etc/dev.wirehaven.console.cfg}. */
    public static final String PID = "dev.wirehaven.console";

    @ObjectClassDefinition(
            name = "Wirehaven console",
            description = "Who may reach the web console: names of this host besides the loopback ones")
    public @interface Config {
        @AttributeDefinition(
                description = "Host names (without port) under which the console is also reached, for example"
                        + " behind a reverse proxy; localhost, 127.x.x.x and [::1] are always accepted."
                        + " Any other Host header is refused (DNS rebinding).")
        String[] hosts() default {};
    }

    /** The value for {@code felix.webconsole.security.providers}. */
    public static final String ID = "wirehaven";

    static final String CHALLENGE = "Basic realm=\"Wirehaven console\", charset=\"UTF-8\"";

    /** Request attributes of the OSGi HTTP specification, which the console's own provider also sets. */
    static final String AUTHENTICATION_TYPE = "org.osgi.service.http.authentication.type";

    static final String REMOTE_USER = "org.osgi.service.http.authentication.remote.user";

    private static final Logger LOG = LoggerFactory.getLogger(WirehavenSecurityProvider.class);

    private final ConsoleLogin login;
    private final ForgeryGuard guard;

    /** Where refused logins and forged requests go as security events; optional, the log has them too. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile SecurityEvents events;

    @Activate
    public WirehavenSecurityProvider(
            @Reference(name = "adminAuthenticator") AdminAuthenticator authenticator, Config config) {
        this(authenticator, Set.of(config.hosts()));
    }

    WirehavenSecurityProvider(AdminAuthenticator authenticator, Set<String> extraHosts) {
        this.login = new ConsoleLogin(
                authenticator,
                (user, address) -> report(
                        SecurityEvent.ADMIN_AUTH_FAILURE, Severity.HIGH, user, address, "web console login refused"));
        this.guard = new ForgeryGuard(extraHosts);
    }

    /** To the sinks, where the server's event service is there; the WARN line is written in any case. */
    private void report(String type, Severity severity, String user, String address, String detail) {
        SecurityEvents sink = events;
        if (sink == null) {
            return;
        }
        sink.report(new SecurityEvent(type, severity, Instant.now(), user, literal(address), detail));
    }

    /** The client's address as Jetty gives it: a literal, so no name is looked up. */
    private static InetAddress literal(String address) {
        try {
            return address == null || address.isEmpty() ? null : InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Refuses with 403 a request that the {@link ForgeryGuard} does not let through; returns the admin
     * user when the request carries the admin credential; otherwise answers 401 with a Basic challenge.
     * Returning {@code null} tells the console to stop there.
     */
    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        ForgeryGuard.Verdict verdict = guard.check(new ForgeryGuard.Request(
                request.getMethod(),
                request.getScheme(),
                request.getHeader("Host"),
                request.getHeader("Origin"),
                request.getHeader("Referer"),
                request.getHeader("Sec-Fetch-Site")));
        if (!verdict.allowed()) {
            // the reason is for the operator; the page that sent it learns only that it was refused
            LOG.warn(
                    "Refused console request {} {} from {}: {}",
                    request.getMethod(),
                    SafeLog.text(request.getRequestURI()),
                    request.getRemoteAddr(),
                    SafeLog.text(verdict.reason()));
            report(
                    SecurityEvent.ADMIN_REQUEST_REFUSED,
                    Severity.HIGH,
                    "",
                    request.getRemoteAddr(),
                    SafeLog.text(request.getMethod() + " " + request.getRequestURI() + ": " + verdict.reason()));
            refuse(response);
            return null;
        }
        // a page of another site must not frame the console and have the operator click its buttons
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'self'");
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

    private static void refuse(HttpServletResponse response) {
        byte[] body = "Refused: this request did not come from the Wirehaven console's own pages.\n"
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (IOException e) {
            LOG.debug("Could not send the refusal", e);
        }
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

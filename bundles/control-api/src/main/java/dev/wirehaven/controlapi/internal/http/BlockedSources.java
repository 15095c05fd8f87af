package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.response.SecurityResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every request from a source address that a security response blocked (a detector found it
 * guessing passwords, say), before any servlet reads its body: 403 with the control API's error form,
 * so that the client's user reads why. The block itself lives in the responses bundle, which also
 * keeps the address from completing a WireGuard handshake; without that bundle nothing is blocked.
 *
 * <p>The check is a lookup in the responses' immutable snapshot of blocked prefixes: cheap enough for
 * every request. An address that is not a literal (it always is, from the connector) passes.
 */
@Component(service = Preprocessor.class)
public final class BlockedSources implements Preprocessor {

    private static final Logger LOG = LoggerFactory.getLogger(BlockedSources.class);

    /** The body of the refusal: constant, so that it needs no JSON writer and says nothing about the block. */
    static final byte[] REFUSAL = ("{\"error\":\"forbidden\",\"message\":\"Requests from this address are blocked by"
                    + " a security response of the server. Wait until the block ends, or ask the server's operator"
                    + " to lift it (wirehaven:responses, wirehaven:undo)\"}")
            .getBytes(StandardCharsets.UTF_8);

    private volatile SecurityResponses responses;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindResponses")
    void bindResponses(SecurityResponses bound) {
        responses = bound;
    }

    void unbindResponses(SecurityResponses gone) {
        if (responses == gone) {
            responses = null;
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http
                && response instanceof HttpServletResponse answer
                && blocked(http.getRemoteAddr())) {
            LOG.debug(
                    "Refused {} {} from {}: the address is blocked",
                    http.getMethod(),
                    http.getRequestURI(),
                    http.getRemoteAddr());
            answer.setStatus(HttpServletResponse.SC_FORBIDDEN);
            answer.setHeader("Cache-Control", "no-store");
            answer.setContentType(JsonBodies.MEDIA_TYPE);
            answer.setContentLength(REFUSAL.length);
            answer.getOutputStream().write(REFUSAL);
            return;
        }
        chain.doFilter(request, response);
    }

    /** True when the responses say {@code remoteAddress} is blocked. */
    boolean blocked(String remoteAddress) {
        SecurityResponses current = responses;
        if (current == null || remoteAddress == null) {
            return false;
        }
        String literal = remoteAddress.length() > 1 && remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
                ? remoteAddress.substring(1, remoteAddress.length() - 1)
                : remoteAddress;
        if (!IpLiterals.isIpLiteral(literal)) {
            return false;
        }
        try {
            return current.isBlocked(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return false;
        } catch (RuntimeException e) {
            // the responses bundle failing must not take the control API down with it
            LOG.warn("Could not ask the security responses about {}; letting the request through", literal, e);
            return false;
        }
    }
}

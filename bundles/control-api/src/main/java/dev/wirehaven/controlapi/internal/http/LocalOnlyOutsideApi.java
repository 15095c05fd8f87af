package dev.wirehaven.controlapi.internal.http;

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
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps everything but the control API for clients on this host.
 *
 * <p>Felix HTTP Jetty has one listen address for its HTTP and HTTPS connectors. The control API must be
 * reachable from other hosts, so Jetty listens on all addresses, and the web console (plain HTTP, which
 * used to listen on 127.0.0.1 only) would be reachable too, its admin password travelling in clear.
 * This preprocessor runs before every servlet of Felix HTTP and answers 403 to a request from another
 * host for any path outside {@code /api}; the control API refuses plain HTTP itself. Operators reach
 * the web console as before: on the server, or through an SSH tunnel.
 */
@Component(service = Preprocessor.class)
public final class LocalOnlyOutsideApi implements Preprocessor {

    private static final Logger LOG = LoggerFactory.getLogger(LocalOnlyOutsideApi.class);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http
                && response instanceof HttpServletResponse answer
                && !admits(path(http), http.getRemoteAddr())) {
            LOG.debug(
                    "Refused {} {} from {}: only the control API answers to other hosts",
                    http.getMethod(),
                    http.getRequestURI(),
                    http.getRemoteAddr());
            byte[] text = ("Only the control API (/api/v1) answers to other hosts. The web console is for this host:"
                            + " open an SSH tunnel (ssh -L 18080:127.0.0.1:<WIREHAVEN_HTTP_PORT> <server>) and browse"
                            + " http://127.0.0.1:18080/system/console\n")
                    .getBytes(StandardCharsets.UTF_8);
            answer.setStatus(HttpServletResponse.SC_FORBIDDEN);
            answer.setContentType("text/plain;charset=utf-8");
            answer.setContentLength(text.length);
            answer.getOutputStream().write(text);
            return;
        }
        chain.doFilter(request, response);
    }

    /** True for any path of the control API, and for every path when the client is on this host. */
    static boolean admits(String path, String remoteAddress) {
        return path.equals("/api") || path.startsWith("/api/") || isLoopback(remoteAddress);
    }

    /** The decoded, normalized path (not the raw URI, in which "/api/../system" would pass as API). */
    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    private static boolean isLoopback(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        String literal = remoteAddress.length() > 1 && remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
                ? remoteAddress.substring(1, remoteAddress.length() - 1)
                : remoteAddress;
        if (!IpLiterals.isIpLiteral(literal)) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

package dev.wirehaven.console.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a console request may reach the console at all, before any credential is looked
 * at: the defence against cross-site request forgery and DNS rebinding.
 *
 * <p>Why both: the console authenticates with HTTP Basic, which a browser caches and sends with every
 * request to the console's origin, whoever made the page that sends it. A hostile page that the
 * operator opens can therefore post a form to {@code http://127.0.0.1:PORT/system/console/...} (upload
 * a bundle, write a {@code postUp} hook: code that runs as root) and the browser adds the credential.
 * Felix Web Console 5 has no CSRF token of its own. And a hostile name that resolves to 127.0.0.1
 * after the page has loaded (DNS rebinding) turns the hostile page into a same-origin one, which the
 * {@code Host} header then gives away.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>The {@code Host} header must name this host: a loopback name ({@code localhost},
 *       {@code 127.x.x.x}, {@code [::1]}) or one the operator listed (a console published under a
 *       name, for example behind a reverse proxy). Any port.
 *   <li>A request that can change state (any method but GET, HEAD and OPTIONS) must prove that it
 *       comes from the console's own pages: an {@code Origin} header equal to the console's origin
 *       (scheme, and host and port as the {@code Host} header gives them), or, where a browser sends
 *       no {@code Origin}, a {@code Referer} from that origin. Every current browser sends
 *       {@code Origin} with a POST. A request with neither is refused too: a browser always sends one
 *       of them for a form or script post from another page, so only non-browser clients lack both,
 *       and those have the shell commands (or can send the header themselves).
 *   <li>Where the browser says where the request comes from ({@code Sec-Fetch-Site}), a state
 *       change must be {@code same-origin} (or {@code none}: the operator typed it).
 * </ol>
 *
 * Reading pages (GET) is left to the login: a cross-site GET cannot read the answer (the
 * same-origin policy), and the console's GETs change nothing.
 */
public final class ForgeryGuard {

    /** What the guard decided, with the reason for the operator's log (never shown to the page). */
    public record Verdict(boolean allowed, String reason) {

        static final Verdict ALLOWED = new Verdict(true, "");

        static Verdict refused(String reason) {
            return new Verdict(false, reason);
        }
    }

    /** The parts of a request the guard reads; header values are null when absent. */
    public record Request(String method, String scheme, String host, String origin, String referer, String fetchSite) {}

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Set<String> extraHosts;

    /**
     * @param extraHosts host names (without port, any case) that also name this console, besides the
     *     loopback names
     */
    public ForgeryGuard(Set<String> extraHosts) {
        this.extraHosts = extraHosts.stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public Verdict check(Request request) {
        if (request.host() == null || request.host().isBlank()) {
            return Verdict.refused("no Host header");
        }
        Optional<String> hostName = hostName(request.host());
        if (hostName.isEmpty()) {
            return Verdict.refused("malformed Host header");
        }
        if (!isLoopbackName(hostName.get()) && !extraHosts.contains(hostName.get())) {
            return Verdict.refused("Host '" + hostName.get()
                    + "' is not a name of this console (DNS rebinding?); list it in console.hosts to allow it");
        }
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        if (SAFE_METHODS.contains(method)) {
            return Verdict.ALLOWED;
        }
        String fetchSite = request.fetchSite();
        if (fetchSite != null && !fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none")) {
            return Verdict.refused(method + " from another site (Sec-Fetch-Site: " + fetchSite + ")");
        }
        String own = origin(request.scheme(), request.host());
        if (request.origin() != null) {
            return sameOrigin(request.origin(), own)
                    ? Verdict.ALLOWED
                    : Verdict.refused(method + " from origin '" + request.origin() + "', not " + own);
        }
        if (request.referer() != null) {
            Optional<String> refererOrigin = originOf(request.referer());
            return refererOrigin.isPresent() && sameOrigin(refererOrigin.get(), own)
                    ? Verdict.ALLOWED
                    : Verdict.refused(method + " from page '" + request.referer() + "', not from " + own);
        }
        return Verdict.refused(method + " without Origin or Referer: send 'Origin: " + own + "' from a script");
    }

    /** The host name of a {@code Host} header, lower case, without port; IPv6 literals keep their brackets. */
    static Optional<String> hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0 || (close + 1 < h.length() && !isPort(h.substring(close + 1)))) {
                return Optional.empty();
            }
            return Optional.of(h.substring(0, close + 1));
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && !isPort(h.substring(colon))) {
            return Optional.empty();
        }
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-')
                ? Optional.empty()
                : Optional.of(name);
    }

    private static boolean isPort(String colonAndPort) {
        if (colonAndPort.length() < 2 || colonAndPort.length() > 6 || colonAndPort.charAt(0) != ':') {
            return false;
        }
        return colonAndPort.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Names that can only mean this host: they never resolve through DNS to somebody else's address. */
    static boolean isLoopbackName(String name) {
        if (name.equals("localhost") || name.equals("[::1]")) {
            return true;
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty()
                    || p.length() > 3
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String origin(String scheme, String host) {
        return (scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT)) + "://"
                + host.trim().toLowerCase(Locale.ROOT);
    }

    /** Origins compare as scheme, host and port, with the scheme's default port spelled or not. */
    private static boolean sameOrigin(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.startsWith("http://") && o.endsWith(":80")) {
            return o.substring(0, o.length() - 3);
        }
        if (o.startsWith("https://") && o.endsWith(":443")) {
            return o.substring(0, o.length() - 4);
        }
        return o;
    }

    /** The origin ({@code scheme://host[:port]}) of a Referer URL; empty if it is not an absolute http(s) URL. */
    static Optional<String> originOf(String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme();
            String authority = uri.getRawAuthority();
            if (scheme == null
                    || authority == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return Optional.empty();
            }
            int at = authority.lastIndexOf('@');
            return Optional.of(scheme + "://" + (at < 0 ? authority : authority.substring(at + 1)));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}

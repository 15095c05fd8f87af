package dev.wirehaven.example.monitor.webhook.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code url} key, checked: an {@code https} URL, or plain {@code http} to a loopback address
 * only (a relay or a test receiver on this machine). A security event says which user an attack aimed
 * at and where it came from; sent as plain http across a network it could be read and changed on the
 * way, and the signature would only show the change, not prevent the reading.
 *
 * <p>Only literal loopback addresses and {@code localhost} count as loopback: a name is not looked up,
 * because what it resolves to can change after the check.
 *
 * <p>The path and query are never put into a log line or an error: chat webhooks (Slack, Mattermost)
 * carry their credential there. {@link #origin()} is what may be shown.
 *
 * @param uri the URL
 */
record WebhookUrl(URI uri) {

    static final String KEY = "url";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Checks the configured text.
     *
     * @throws IllegalArgumentException with a sentence naming the key, what is wrong and the fix
     */
    static WebhookUrl parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(
                    KEY + " is not set: give the receiver's address, such as url=https://siem.example.com/wirehaven");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            // the reason and index only: the message of the exception repeats the whole URL
            throw new IllegalArgumentException(
                    KEY + " is not a URL (" + e.getReason() + " at character " + e.getIndex()
                            + "): write it as https://HOST[:PORT]/PATH",
                    e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException(KEY + " must start with https:// (it "
                    + (scheme.isEmpty() ? "has no scheme" : "starts with " + scheme + ":") + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                    KEY + " has no host name: write it as " + scheme + "://HOST[:PORT]/PATH");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(KEY + " carries a user name or password before the host, which is not"
                    + " sent; remove it and set 'secret' to sign the requests instead");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException(KEY + " uses plain http to " + uri.getHost()
                    + ", which is not a loopback address: events would cross the network unencrypted;"
                    + " use https://" + uri.getHost() + " (plain http is allowed only to 127.0.0.1, ::1 or"
                    + " localhost)");
        }
        return new WebhookUrl(uri);
    }

    /** Scheme, host and port: what a log line may name. */
    String origin() {
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The origin only, as for a log line. */
    @Override
    public String toString() {
        return origin();
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = host.startsWith("[") || IPV4.matcher(host).matches();
        if (!literal) {
            return false;
        }
        try {
            // a literal address: getByName parses it and asks no resolver
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

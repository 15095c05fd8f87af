package dev.wirehaven.monitor.threats.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Addresses from text that a metric tag carries. Only literals are parsed: {@link InetAddress#getByName}
 * would resolve a host name, and a detector must never wait on DNS (nor let a tag make it look one up).
 */
final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private Addresses() {}

    /** The address that {@code text} is a literal of, or {@code null} when it is none. */
    static InetAddress literal(String text) {
        if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

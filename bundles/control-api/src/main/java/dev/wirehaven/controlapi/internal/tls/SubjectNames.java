package dev.wirehaven.controlapi.internal.tls;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names and addresses a certificate is issued for (its subject alternative names). They matter
 * twice: a client that checks host names accepts only a name the certificate lists, and Jetty answers
 * 400 "Invalid SNI" to a request whose Host the certificate does not list. So the server's own
 * certificate names every way a client may reach it: {@code localhost}, the host name, the loopback
 * addresses and every other address of the host.
 *
 * <p>Nothing here resolves a name: an IP literal is parsed as such, never looked up.
 */
final class SubjectNames {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /** GeneralName tags of RFC 5280 as {@link X509Certificate#getSubjectAlternativeNames()} reports them. */
    private static final int DNS_NAME = 2;

    private static final int IP_ADDRESS = 7;

    private SubjectNames() {}

    /** True for an IPv4 dotted quad or an IPv6 literal (without brackets or zone). */
    static boolean isIpLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (text.indexOf(':') < 0 || !IPV6_CHARACTERS.matcher(text).matches()) {
            return false;
        }
        try {
            // with a ':' Java parses the text as an IPv6 literal and never asks DNS
            return InetAddress.getByName(text) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** True for a DNS name of letters, digits and inner hyphens, optionally with a leading {@code *.} wildcard. */
    static boolean isDnsName(String text) {
        String name = text.startsWith("*.") ? text.substring(2) : text;
        if (name.isEmpty() || name.length() > 253 || IPV4.matcher(name).matches()) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // a top-level label is never all digits (RFC 3696): "10.8.0" is a mistyped address, not a name
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    /** The canonical form in which two spellings of the same name or address compare equal. */
    static String canonical(String name) {
        if (isIpLiteral(name)) {
            try {
                return InetAddress.getByName(name).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a checked literal did not parse: " + name, e);
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The default names for a host: {@code localhost}, the host name (when it is a valid DNS name),
     * the loopback addresses and the given addresses, without duplicates.
     */
    static List<String> defaults(String hostName, Collection<InetAddress> addresses) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        if (hostName != null && isDnsName(hostName.trim())) {
            names.add(hostName.trim().toLowerCase(Locale.ROOT));
        }
        names.add("127.0.0.1");
        names.add("::1");
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()) {
                continue;
            }
            names.add(withoutZone(address.getHostAddress()));
        }
        return List.copyOf(names);
    }

    /** The defaults of this host: its name and the addresses of every interface that is up. */
    static List<String> ofThisHost() {
        return defaults(hostName(), hostAddresses());
    }

    /** The DNS names and IP addresses a certificate lists, in canonical form. */
    static Set<String> of(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return names;
        }
        if (entries == null) {
            return names;
        }
        for (List<?> entry : entries) {
            int tag = (Integer) entry.get(0);
            if (tag == DNS_NAME || tag == IP_ADDRESS) {
                names.add(canonical(entry.get(1).toString()));
            }
        }
        return names;
    }

    /** The entries of {@code wanted} that {@code certificate} does not list. */
    static List<String> missing(X509Certificate certificate, List<String> wanted) {
        Set<String> listed = of(certificate);
        List<String> missing = new ArrayList<>();
        for (String name : wanted) {
            if (!listed.contains(canonical(name))) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static String withoutZone(String address) {
        int zone = address.indexOf('%');
        return zone < 0 ? address : address.substring(0, zone);
    }

    private static String hostName() {
        // the kernel's name needs no lookup; InetAddress.getLocalHost() may wait for DNS
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII)
                    .trim();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                return null;
            }
        }
    }

    private static List<InetAddress> hostAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    addresses.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            // without the list of interfaces the certificate still names localhost and the host name
        }
        return addresses;
    }
}

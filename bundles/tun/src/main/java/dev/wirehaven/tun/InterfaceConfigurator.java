package dev.wirehaven.tun;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configures a Linux network interface: MTU, link state, addresses and routes.
 *
 * <p>It runs the {@code ip} command of iproute2, as wg-quick does, rather than speaking rtnetlink
 * itself: netlink message building, attribute alignment and ack parsing are a lot of native code for
 * a handful of calls made once per interface, whereas {@code ip} is present wherever TUN is used,
 * its error text ("RTNETLINK answers: File exists") is what operators already know, and it is
 * put into the exception message here. The price is a process start (~ms) per call, which is
 * irrelevant off the packet path.
 *
 * <p>Arguments are validated before they reach the command (IP literals only, no host names,
 * nothing that {@code ip} could read as an option). The command runs through {@link IpCommand}: no
 * shell, a timeout, and errors that name the command, its exit status and {@code ip}'s message.
 */
public final class InterfaceConfigurator {

    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.%][A-Za-z0-9_.%@-]{0,14}");
    private static final Pattern CIDR = Pattern.compile("([0-9A-Fa-f:.]+)/(\\d{1,3})");

    private final String interfaceName;
    private final IpCommand ip;

    private InterfaceConfigurator(String interfaceName, String namespace) {
        if (!INTERFACE_NAME.matcher(interfaceName).matches()) {
            throw new IllegalArgumentException("not a valid interface name: '" + interfaceName + "'");
        }
        this.interfaceName = interfaceName;
        this.ip = namespace == null ? IpCommand.inThisNamespace() : IpCommand.inNamespace(namespace);
    }

    /** Configures an interface in the network namespace of this process. */
    public static InterfaceConfigurator of(String interfaceName) {
        return new InterfaceConfigurator(Objects.requireNonNull(interfaceName, "interfaceName"), null);
    }

    /** Configures an interface in a named network namespace ({@code ip -n <namespace>}). */
    public static InterfaceConfigurator inNamespace(String namespace, String interfaceName) {
        return new InterfaceConfigurator(
                Objects.requireNonNull(interfaceName, "interfaceName"), Objects.requireNonNull(namespace, "namespace"));
    }

    public String interfaceName() {
        return interfaceName;
    }

    public void setMtu(int mtu) throws IOException {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be between 68 and 65535, was " + mtu);
        }
        run("link", "set", "dev", interfaceName, "mtu", Integer.toString(mtu));
    }

    public void up() throws IOException {
        run("link", "set", "dev", interfaceName, "up");
    }

    public void down() throws IOException {
        run("link", "set", "dev", interfaceName, "down");
    }

    /** Adds an address with its prefix, e.g. {@code 10.8.0.1/24} or {@code fd00::1/64}. */
    public void addAddress(String cidr) throws IOException {
        run(family(cidr), "address", "add", cidr, "dev", interfaceName);
    }

    public void removeAddress(String cidr) throws IOException {
        run(family(cidr), "address", "del", cidr, "dev", interfaceName);
    }

    /** The addresses on the interface, as {@code address/prefix} strings, IPv4 first. */
    public List<String> addresses() throws IOException {
        String out = run("-o", "address", "show", "dev", interfaceName);
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet")) {
                    v4.add(f[i + 1]);
                } else if (f[i].equals("inet6")) {
                    v6.add(f[i + 1]);
                }
            }
        }
        v4.addAll(v6);
        return v4;
    }

    /** Routes a prefix through the interface, e.g. {@code 10.8.0.0/16} or {@code ::/0}. */
    public void addRoute(String cidr) throws IOException {
        run(family(cidr), "route", "add", cidr, "dev", interfaceName);
    }

    public void removeRoute(String cidr) throws IOException {
        run(family(cidr), "route", "del", cidr, "dev", interfaceName);
    }

    private static String family(String cidr) {
        var m = CIDR.matcher(Objects.requireNonNull(cidr, "cidr"));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not an address/prefix: '" + cidr + "' (expected e.g. 10.8.0.1/24 or fd00::1/64)");
        }
        InetAddress address;
        try {
            // the pattern admits only hex digits, ':' and '.', so this parses a literal and never does DNS
            address = InetAddress.getByName(m.group(1));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an IP address: '" + m.group(1) + "' in '" + cidr + "'", e);
        }
        int prefix = Integer.parseInt(m.group(2));
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " is longer than " + max + " in '" + cidr + "'");
        }
        return address instanceof Inet4Address ? "-4" : "-6";
    }

    private String run(String... args) throws IOException {
        return ip.run(args);
    }
}

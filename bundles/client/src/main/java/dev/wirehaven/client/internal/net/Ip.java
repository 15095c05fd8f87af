package dev.wirehaven.client.internal.net;

import dev.wirehaven.tun.IpCommand;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * iproute2's {@code ip} as the client runs it: the {@code tun} bundle's {@link IpCommand} (every
 * argument checked against a plain pattern before anything runs, {@code ip}'s own words in a
 * failure) with the program taken from {@link SystemPrograms}, never from {@code PATH}, since the
 * client runs as root from a user's shell; plus the few link commands the client needs.
 */
public final class Ip {

    private final IpCommand ip;

    private Ip(String namespace) {
        this.ip = IpCommand.using(SystemPrograms.command("ip"), namespace);
    }

    /** {@code ip} in the network namespace of this process. */
    public static Ip inThisNamespace() {
        return new Ip(null);
    }

    /** {@code ip -n <namespace>}: in a named network namespace ({@code ip netns add}). */
    public static Ip inNamespace(String namespace) {
        return new Ip(Objects.requireNonNull(namespace, "namespace"));
    }

    /** The path of the program that runs. */
    public String program() {
        return ip.program();
    }

    /**
     * Runs {@code ip args...} and returns its standard output.
     *
     * @throws IllegalArgumentException when an argument is not a plain word; nothing was run then
     */
    public String run(List<String> args) throws IOException {
        return ip.run(args);
    }

    /** Runs {@code ip args...}; false (not an exception) when it fails: for undoing, where "already gone" is fine. */
    public boolean tryRun(List<String> args) {
        return ip.tryRun(args);
    }

    void setMtu(String iface, int mtu) throws IOException {
        run(List.of("link", "set", "dev", iface, "mtu", Integer.toString(mtu)));
    }

    void up(String iface) throws IOException {
        run(List.of("link", "set", "dev", iface, "up"));
    }

    void addAddress(String iface, String cidr) throws IOException {
        run(List.of(family(cidr), "address", "add", cidr, "dev", iface));
    }

    void removeAddress(String iface, String cidr) throws IOException {
        run(List.of(family(cidr), "address", "del", cidr, "dev", iface));
    }

    private static String family(String cidr) {
        return cidr.indexOf(':') >= 0 ? "-6" : "-4";
    }
}

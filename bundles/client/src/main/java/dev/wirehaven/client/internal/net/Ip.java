package dev.wirehaven.client.internal.net;

import dev.wirehaven.tun.HostCommand;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * iproute2's {@code ip} as the client runs it: from {@link SystemPrograms} (never {@code PATH}), in
 * this process's network namespace or a named one ({@code ip -n}, for tests), every argument checked
 * against a plain pattern before anything runs. The {@code tun} bundle's {@code IpCommand} and
 * {@code InterfaceConfigurator} do the same but find {@code ip} on {@code PATH} first, which is why the
 * client has its own: the few link commands it needs are here too.
 */
public final class Ip {

    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9_.:/%@+=-]{1,64}");
    private static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}");

    private final String namespace;
    private final HostCommand ip;

    private Ip(String namespace) {
        if (namespace != null && !NAMESPACE_NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a valid network namespace name: '" + namespace + "'");
        }
        this.namespace = namespace;
        this.ip = SystemPrograms.command("ip");
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
        List<String> full = new ArrayList<>(args.size() + 2);
        if (namespace != null) {
            full.add("-n");
            full.add(namespace);
        }
        for (String a : args) {
            if (a == null || !ARGUMENT.matcher(a).matches()) {
                throw new IllegalArgumentException("refusing to pass '" + a + "' to ip");
            }
            full.add(a);
        }
        return ip.run(full);
    }

    /** Runs {@code ip args...}; false (not an exception) when it fails: for undoing, where "already gone" is fine. */
    public boolean tryRun(List<String> args) {
        try {
            run(args);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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

package dev.wirehaven.tun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * iproute2's {@code ip}, in this process's network namespace or a named one ({@code ip -n}, which is
 * how tests exercise it without touching the host). {@link InterfaceConfigurator} is built on it for
 * MTU, link state, addresses and routes; the client uses it directly for what that does not cover
 * (routes in another table, policy rules).
 *
 * <p>It runs through {@link HostCommand}: no shell, a timeout, and a failure's message holds the
 * command line, the exit status and {@code ip}'s own words ("RTNETLINK answers: File exists", which
 * operators already know), with a hint where the cause is common. On top of that, every argument is
 * checked against a plain pattern before the command runs, so nothing unexpected (a space, a newline,
 * a shell character, an overlong word) reaches {@code ip}.
 */
public final class IpCommand {

    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9_.:/%@+=-]{1,64}");
    private static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}");

    private final String namespace;
    private final HostCommand ip;

    private IpCommand(HostCommand program, String namespace) {
        if (namespace != null && !NAMESPACE_NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a valid network namespace name: '" + namespace + "'");
        }
        this.namespace = namespace;
        this.ip = program.withAdvice(" — install iproute2", IpCommand::hint);
    }

    private IpCommand(String namespace) {
        this(HostCommand.find("ip", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"), namespace);
    }

    /**
     * {@code ip} from exactly this program, in this process's network namespace ({@code namespace}
     * null) or a named one: for a caller with its own rule of where programs may come from (the
     * client, run as root, never takes one from {@code PATH}).
     *
     * @since 2.1
     */
    public static IpCommand using(HostCommand program, String namespace) {
        return new IpCommand(Objects.requireNonNull(program, "program"), namespace);
    }

    /**
     * The path of the program that runs.
     *
     * @since 2.1
     */
    public String program() {
        return ip.program();
    }

    /** {@code ip} in the network namespace of this process. */
    public static IpCommand inThisNamespace() {
        return new IpCommand(null);
    }

    /** {@code ip -n <namespace>}: in a named network namespace ({@code ip netns add}). */
    public static IpCommand inNamespace(String namespace) {
        return new IpCommand(Objects.requireNonNull(namespace, "namespace"));
    }

    /** The named namespace this runs in, or {@code null} for this process's. */
    public String namespace() {
        return namespace;
    }

    /**
     * Runs {@code ip args...} and returns its standard output.
     *
     * @throws IllegalArgumentException when an argument is not a plain word; nothing was run then
     * @throws IOException with the command, its exit status and {@code ip}'s own message when it fails
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

    /** Runs {@code ip args...} and returns its standard output; see {@link #run(List)}. */
    public String run(String... args) throws IOException {
        return run(List.of(args));
    }

    /**
     * Runs {@code ip args...}; false (not an exception) when it fails or an argument is refused. For
     * undoing, where "already gone" is fine.
     */
    public boolean tryRun(List<String> args) {
        try {
            run(args);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String hint(String stderr) {
        if (stderr.contains("Operation not permitted")) {
            return " — run as root or with CAP_NET_ADMIN";
        }
        if (stderr.contains("Cannot find device")) {
            return " — open the TUN device first (LinuxTun.open), in the same network namespace";
        }
        if (stderr.contains("File exists") || stderr.contains("already assigned")) {
            return " — it is already configured";
        }
        return "";
    }
}

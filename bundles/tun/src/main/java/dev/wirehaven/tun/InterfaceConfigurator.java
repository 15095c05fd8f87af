package dev.wirehaven.tun;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
 * nothing that {@code ip} could read as an option), and no shell is involved.
 */
public final class InterfaceConfigurator {

    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.%][A-Za-z0-9_.%@-]{0,14}");
    private static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CIDR = Pattern.compile("([0-9A-Fa-f:.]+)/(\\d{1,3})");
    private static final long TIMEOUT_SECONDS = 30;

    private final String interfaceName;
    private final String namespace;
    private final String ip;

    private InterfaceConfigurator(String interfaceName, String namespace) {
        if (!INTERFACE_NAME.matcher(interfaceName).matches()) {
            throw new IllegalArgumentException("not a valid interface name: '" + interfaceName + "'");
        }
        if (namespace != null && !NAMESPACE_NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a valid network namespace name: '" + namespace + "'");
        }
        this.interfaceName = interfaceName;
        this.namespace = namespace;
        this.ip = findIp();
    }

    /** Configures an interface in the network namespace of this process. */
    public static InterfaceConfigurator of(String interfaceName) {
        return new InterfaceConfigurator(Objects.requireNonNull(interfaceName, "interfaceName"), null);
    }

    /** Configures an interface in a named network namespace ({@code ip -n <namespace>}). */
    public static InterfaceConfigurator inNamespace(String namespace, String interfaceName) {
        return new InterfaceConfigurator(Objects.requireNonNull(interfaceName, "interfaceName"),
                Objects.requireNonNull(namespace, "namespace"));
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
            throw new IllegalArgumentException("not an address/prefix: '" + cidr + "' (expected e.g. 10.8.0.1/24 or fd00::1/64)");
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
        List<String> command = new ArrayList<>();
        command.add(ip);
        if (namespace != null) {
            command.add("-n");
            command.add(namespace);
        }
        command.addAll(List.of(args));
        String shown = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + shown + "': " + e.getMessage() + " — install iproute2", e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        String stdout = drain(process.getInputStream());
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + shown + "' did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String err = stderr.get().trim();
            if (process.exitValue() != 0) {
                throw new IOException("'" + shown + "' failed (exit " + process.exitValue() + "): "
                        + (err.isEmpty() ? "no message" : err) + hint(err));
            }
            return stdout;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running '" + shown + "'");
        } catch (ExecutionException e) {
            throw new IOException("'" + shown + "': " + e.getCause(), e.getCause());
        }
    }

    private static String hint(String stderr) {
        if (stderr.contains("Operation not permitted")) {
            return " — run as root or grant CAP_NET_ADMIN";
        }
        if (stderr.contains("Cannot find device")) {
            return " — open the TUN device first (LinuxTun.open), in the same network namespace";
        }
        if (stderr.contains("File exists") || stderr.contains("already assigned")) {
            return " — it is already configured";
        }
        return "";
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String findIp() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "ip"))) {
                return Path.of(dir, "ip").toString();
            }
        }
        for (String candidate : new String[] {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "ip"; // start() will then fail with a message that says to install iproute2
    }
}

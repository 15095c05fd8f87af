package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.AccessProtocol;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.internal.trust.Fingerprint;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The command line of {@code wirehaven-client}, parsed and checked: every mistake becomes a
 * {@link UsageException} whose message names the option and shows a correct form.
 */
final class Arguments {

    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_=+.-]{1,15}");
    /** A host name (letters, digits, '-', '_', dots) or a dotted IPv4 address; at most 253 characters. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?");
    /** An IPv6 address as written between brackets, or alone for ICMP; the SDK checks it in full. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** What was asked for. */
    sealed interface Invocation permits Connect, Status, Disconnect, Access, Export, Help {}

    /** {@code connect ...}; {@code advertise} are the subnets behind this client to route to it (site-to-site). */
    record Connect(
            URI server,
            String user,
            Path passwordFile,
            String fingerprint,
            String iface,
            String device,
            Path configDir,
            List<String> advertise)
            implements Invocation {

        Connect(
                URI server,
                String user,
                Path passwordFile,
                String fingerprint,
                String iface,
                String device,
                Path configDir) {
            this(server, user, passwordFile, fingerprint, iface, device, configDir, List.of());
        }
    }

    record Status(String iface) implements Invocation {}

    record Disconnect(String iface) implements Invocation {}

    /**
     * {@code access HOST:PORT [--udp | --icmp]}.
     *
     * @param host a name or an IP address (an IPv6 address without its brackets), resolved by the SDK
     * @param port 1..65535, or 0 for ICMP
     */
    record Access(String iface, String host, int port, AccessProtocol protocol) implements Invocation {}

    record Export(
            URI server,
            String user,
            Path passwordFile,
            String fingerprint,
            String device,
            Path configDir,
            Path output,
            Path qr)
            implements Invocation {}

    /** @param command the command whose help was asked for, or {@code null} for the overview */
    record Help(String command) implements Invocation {}

    /** A command line that cannot be run; the message says what to change. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String command;

        UsageException(String command, String message) {
            super(message);
            this.command = command;
        }

        /** The command it is about, or {@code null}. */
        String command() {
            return command;
        }
    }

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "connect",
                    Set.of(
                            "--server",
                            "--user",
                            "--password-file",
                            "--fingerprint",
                            "--interface",
                            "--device",
                            "--config-dir",
                            "--advertise"),
            "status", Set.of("--interface"),
            "disconnect", Set.of("--interface"),
            "access", Set.of("--interface", "--udp", "--icmp"),
            "export",
                    Set.of(
                            "--server",
                            "--user",
                            "--password-file",
                            "--fingerprint",
                            "--device",
                            "--config-dir",
                            "--output",
                            "--qr"));

    /** The options that take no value. */
    private static final Set<String> FLAGS = Set.of("--udp", "--icmp");

    /** The commands that take a positional argument (the resource of {@code access}). */
    private static final Set<String> POSITIONAL = Set.of("access");

    private Arguments() {}

    /**
     * Parses the arguments.
     *
     * @param defaultConfigDir the config directory when {@code --config-dir} is not given
     * @param hostName the device name when {@code --device} is not given
     */
    static Invocation parse(String[] args, Path defaultConfigDir, String hostName) throws UsageException {
        if (args.length == 0) {
            throw new UsageException(null, "no command given");
        }
        String command = args[0];
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            if (args.length > 1 && OPTIONS.containsKey(args[1])) {
                return new Help(args[1]);
            }
            return new Help(null);
        }
        if (!OPTIONS.containsKey(command)) {
            throw new UsageException(
                    null,
                    "unknown command '" + command + "'; the commands are connect, status, disconnect, access"
                            + " and export");
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> values = options(command, args, positional);
        if (values.containsKey("--help")) {
            return new Help(command);
        }
        String iface = iface(command, values.getOrDefault("--interface", ConnectOptions.DEFAULT_INTERFACE));
        switch (command) {
            case "status":
                return new Status(iface);
            case "disconnect":
                return new Disconnect(iface);
            case "access":
                return access(iface, values, positional);
            default:
                break;
        }
        URI server = server(command, required(command, values, "--server", "https://vpn.example.com:8443"));
        String user = required(command, values, "--user", "alice");
        if (user.isBlank() || user.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UsageException(command, "--user '" + user + "' is not a user name");
        }
        Path passwordFile = values.containsKey("--password-file")
                ? path(command, "--password-file", values.get("--password-file"))
                : null;
        String fingerprint =
                values.containsKey("--fingerprint") ? fingerprint(command, values.get("--fingerprint")) : null;
        String device = values.getOrDefault("--device", hostName);
        if (device.length() > 128 || device.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UsageException(command, "--device must be at most 128 printable characters");
        }
        Path configDir = values.containsKey("--config-dir")
                ? path(command, "--config-dir", values.get("--config-dir"))
                : defaultConfigDir;
        if (command.equals("connect")) {
            return new Connect(
                    server, user, passwordFile, fingerprint, iface, device, configDir, advertise(command, values));
        }
        Path output = path(command, "--output", required(command, values, "--output", "phone.conf"));
        Path qr = values.containsKey("--qr") ? path(command, "--qr", values.get("--qr")) : null;
        return new Export(server, user, passwordFile, fingerprint, device, configDir, output, qr);
    }

    /** {@code --advertise 192.168.30.0/24[,fd00:30::/64...]}: literal prefixes only, never names. */
    private static List<String> advertise(String command, Map<String, String> values) throws UsageException {
        if (!values.containsKey("--advertise")) {
            return List.of();
        }
        List<String> prefixes = new java.util.ArrayList<>();
        for (String p : values.get("--advertise").split(",")) {
            String prefix = p.strip();
            try {
                dev.wirehaven.wireguard.Cidr.parse(prefix);
            } catch (RuntimeException e) {
                throw new UsageException(
                        command,
                        "--advertise '" + prefix + "' is not an IP prefix; write the LAN behind this client, e.g."
                                + " --advertise 192.168.30.0/24");
            }
            prefixes.add(prefix);
        }
        return List.copyOf(prefixes);
    }

    private static Map<String, String> options(String command, String[] args, List<String> positional)
            throws UsageException {
        Map<String, String> values = new HashMap<>();
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                values.put("--help", "");
                continue;
            }
            if (POSITIONAL.contains(command) && !a.startsWith("-")) {
                positional.add(a);
                continue;
            }
            if (FLAGS.contains(a) && OPTIONS.get(command).contains(a)) {
                if (values.put(a, "") != null) {
                    throw new UsageException(command, a + " is given twice");
                }
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!OPTIONS.get(command).contains(name)) {
                throw new UsageException(
                        command,
                        a.startsWith("-")
                                ? "unknown option '" + name + "' for " + command
                                : "unexpected argument '" + a + "'; options take the form --name VALUE");
            }
            if (FLAGS.contains(name)) {
                throw new UsageException(command, name + " takes no value");
            }
            if (value == null) {
                if (i + 1 >= rest.size() || rest.get(i + 1).startsWith("--")) {
                    throw new UsageException(command, name + " needs a value");
                }
                value = rest.get(++i);
            }
            if (values.put(name, value) != null) {
                throw new UsageException(command, name + " is given twice");
            }
        }
        return values;
    }

    /**
     * The resource of {@code access}: {@code HOST:PORT} for TCP (the default) and {@code --udp}, an IPv6
     * address in brackets ({@code [fd00::5]:22}); {@code HOST} alone for {@code --icmp}.
     */
    private static Access access(String iface, Map<String, String> values, List<String> positional)
            throws UsageException {
        String command = "access";
        boolean udp = values.containsKey("--udp");
        boolean icmp = values.containsKey("--icmp");
        if (udp && icmp) {
            throw new UsageException(
                    command, "--udp and --icmp exclude each other: give one of them, or neither for tcp");
        }
        AccessProtocol protocol = udp ? AccessProtocol.UDP : icmp ? AccessProtocol.ICMP : AccessProtocol.TCP;
        String example = icmp ? "--icmp 10.20.0.5" : "10.20.0.5:22, db.example.com:5432 or [fd00::5]:22";
        if (positional.isEmpty()) {
            throw new UsageException(
                    command,
                    "name the resource, " + (icmp ? "HOST" : "HOST:PORT") + " (for example access " + example + ")");
        }
        if (positional.size() > 1) {
            throw new UsageException(
                    command,
                    "give one resource; '" + positional.get(1) + "' is one too many (for example access " + example
                            + ")");
        }
        String target = positional.get(0);
        if (target.codePoints().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new UsageException(
                    command,
                    "'" + SafeText.of(target) + "' is not a resource: it has blanks or" + " control characters");
        }
        return icmp ? icmpTarget(iface, target) : portTarget(iface, target, protocol);
    }

    private static Access icmpTarget(String iface, String target) throws UsageException {
        String host = target;
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new UsageException(
                        "access",
                        "--icmp takes the host alone, without a port: '" + SafeText.of(target) + "' (for example"
                                + " --icmp fd00::5)");
            }
            host = host.substring(1, host.length() - 1);
            return new Access(iface, ipv6("access", host, target), 0, AccessProtocol.ICMP);
        }
        long colons = host.chars().filter(c -> c == ':').count();
        if (colons == 1) {
            throw new UsageException(
                    "access",
                    "--icmp takes the host alone, without a port: '" + SafeText.of(target) + "' (for example --icmp "
                            + SafeText.of(host.substring(0, host.indexOf(':'))) + ")");
        }
        return new Access(
                iface, colons > 1 ? ipv6("access", host, target) : host("access", host), 0, AccessProtocol.ICMP);
    }

    private static Access portTarget(String iface, String target, AccessProtocol protocol) throws UsageException {
        String command = "access";
        String host;
        String port;
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            if (close < 0 || close + 1 >= target.length() || target.charAt(close + 1) != ':') {
                throw new UsageException(
                        command,
                        "'" + SafeText.of(target) + "' has no port: write [ADDRESS]:PORT, such as [fd00::5]:22");
            }
            host = ipv6(command, target.substring(1, close), target);
            port = target.substring(close + 2);
        } else {
            int colon = target.indexOf(':');
            if (colon < 0) {
                throw new UsageException(
                        command,
                        "'" + SafeText.of(target) + "' has no port: write HOST:PORT, such as " + SafeText.of(target)
                                + ":22 (or --icmp for ping)");
            }
            if (target.indexOf(':', colon + 1) >= 0) {
                throw new UsageException(
                        command,
                        "write an IPv6 address in brackets with the port after them, such as [fd00::5]:22, not '"
                                + SafeText.of(target) + "'");
            }
            host = host(command, target.substring(0, colon));
            port = target.substring(colon + 1);
        }
        return new Access(iface, host, port(command, port, target), protocol);
    }

    private static String host(String command, String host) throws UsageException {
        if (!HOST.matcher(host).matches() || host.contains("..")) {
            throw new UsageException(command, "'" + SafeText.of(host) + "' is not a host name or an IP address");
        }
        return host;
    }

    private static String ipv6(String command, String address, String target) throws UsageException {
        if (!IPV6.matcher(address).matches() || address.indexOf(':') < 0) {
            throw new UsageException(
                    command, "'" + SafeText.of(target) + "' does not hold an IPv6 address in its brackets");
        }
        return address;
    }

    private static int port(String command, String text, String target) throws UsageException {
        int port = -1;
        if (text.matches("\\d{1,5}")) {
            port = Integer.parseInt(text);
        }
        if (port < 1 || port > 65535) {
            throw new UsageException(command, "the port of '" + SafeText.of(target) + "' is not a number in 1..65535");
        }
        return port;
    }

    private static String required(String command, Map<String, String> values, String name, String example)
            throws UsageException {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw new UsageException(command, name + " is required (for example " + name + " " + example + ")");
        }
        return v;
    }

    private static URI server(String command, String text) throws UsageException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException(command, "--server '" + text + "' is not a URL; write https://HOST:PORT");
        }
        if (!"https".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
            throw new UsageException(
                    command,
                    "--server '" + text + "' must be an https URL with a host, such as"
                            + " https://vpn.example.com:8443 (the control API only speaks HTTPS)");
        }
        if (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()
                        && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new UsageException(
                    command,
                    "--server '" + text + "' must be only https://HOST:PORT, without a" + " path, query or user");
        }
        return uri;
    }

    private static String fingerprint(String command, String text) throws UsageException {
        try {
            return Fingerprint.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new UsageException(command, "--fingerprint: " + e.getMessage());
        }
    }

    private static String iface(String command, String name) throws UsageException {
        if (!INTERFACE.matcher(name).matches()) {
            throw new UsageException(
                    command,
                    "--interface '" + name + "' is not an interface name (1 to 15 of" + " letters, digits and _=+.-)");
        }
        return name;
    }

    private static Path path(String command, String option, String text) throws UsageException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException(command, option + " '" + text + "' is not a path");
        }
    }
}

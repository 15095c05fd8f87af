package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.LinuxPlatform;
import dev.wirehaven.client.internal.files.NetworkNamespace;
import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.wireguard.UserspaceApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code wirehaven-client connect|status|disconnect|access|export}: the client's command line, a main for
 * {@code bin/wirehaven-client}.
 *
 * <pre>
 * wirehaven-client connect --server https://HOST:8443 --user NAME [--password-file F] [--fingerprint SHA256:..]
 *                          [--interface wh0] [--device NAME] [--config-dir DIR]
 * wirehaven-client status [--interface wh0]
 * wirehaven-client disconnect [--interface wh0]
 * wirehaven-client access HOST:PORT [--udp | --icmp] [--interface wh0]
 * wirehaven-client export --server .. --user .. --output F [--qr F.png]
 * </pre>
 *
 * The environment variable {@code WIREHAVEN_CLIENT_RUN_DIR} moves the state files from
 * {@code /run/wirehaven-client} (for tests and unprivileged trials).
 */
public final class ClientCommand {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_CONNECTED = 3;
    /** {@code access}: the server did not grant the resource (its policy, or a further factor not given). */
    static final int EXIT_NOT_GRANTED = 4;
    /** Returned when a signal ends the run: the JVM's shutdown decides the status (130, 143). */
    static final int EXIT_BY_SIGNAL = Integer.MIN_VALUE;

    /** What a command reads and writes; tests give their own. */
    record Io(
            BufferedReader in,
            PrintStream out,
            PrintStream err,
            Terminal terminal,
            Path runDirectory,
            Path uapiDirectory,
            Path defaultConfigDir,
            String hostName,
            String networkNamespace,
            Path resolvConf) {

        /** The run directory with the files of this network namespace ({@link RunDirectory}). */
        RunDirectory run() {
            return RunDirectory.of(runDirectory, networkNamespace);
        }
    }

    private ClientCommand() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path runDir = env.containsKey("WIREHAVEN_CLIENT_RUN_DIR")
                ? Path.of(env.get("WIREHAVEN_CLIENT_RUN_DIR"))
                : LinuxPlatform.DEFAULT_RUN_DIRECTORY;
        Io io = new Io(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out,
                System.err,
                Terminal.interactive(),
                runDir,
                UserspaceApi.DEFAULT_DIRECTORY,
                defaultConfigDir(env),
                hostName(),
                NetworkNamespace.current(),
                Path.of("/etc/resolv.conf"));
        int status = run(args, io);
        if (status != EXIT_BY_SIGNAL) {
            System.exit(status);
        }
    }

    static int run(String[] args, Io io) {
        Arguments.Invocation invocation;
        try {
            invocation = Arguments.parse(args, io.defaultConfigDir(), io.hostName());
        } catch (Arguments.UsageException e) {
            String command = e.command();
            io.err().println("wirehaven-client" + (command == null ? "" : " " + command) + ": " + e.getMessage());
            io.err().println("See 'wirehaven-client " + (command == null ? "" : command + " ") + "--help'.");
            return EXIT_USAGE;
        }
        if (invocation instanceof Arguments.Help help) {
            io.out().print(Usage.of(help.command()));
            return EXIT_OK;
        }
        if (invocation instanceof Arguments.Connect c) {
            return new ConnectCommand(c, io).run();
        }
        if (invocation instanceof Arguments.Export e) {
            return ExportCommand.run(e, io);
        }
        if (invocation instanceof Arguments.Status s) {
            return StatusCommand.status(s.iface(), io);
        }
        if (invocation instanceof Arguments.Access a) {
            return AccessCommand.run(a, io);
        }
        Arguments.Disconnect d = (Arguments.Disconnect) invocation;
        return StatusCommand.disconnect(d.iface(), io);
    }

    static Path defaultConfigDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("wirehaven-client");
    }

    /** The kernel's host name, read directly: asking the resolver would stall where DNS is broken. */
    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII)
                    .strip();
            return name.length() > 128 ? name.substring(0, 128) : name;
        } catch (IOException e) {
            return "";
        }
    }
}

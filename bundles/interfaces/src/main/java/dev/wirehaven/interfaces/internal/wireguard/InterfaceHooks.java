package dev.wirehaven.interfaces.internal.wireguard;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands that wg-quick calls PreUp, PostUp, PreDown and PostDown: each one runs as
 * {@code /bin/sh -c <command>} with every {@code %i} replaced by the interface name, one after the
 * other, the way wg-quick runs them. Each command and each line it prints are logged at INFO with
 * the interface and the setting, so that the server log shows what wg-quick would have shown on
 * the terminal.
 *
 * <p>A command gets {@value #TIME_LIMIT_SECONDS} seconds. wg-quick has no limit, but it runs in a
 * terminal where Ctrl-C ends a hung hook; here the hook runs on the thread that starts and stops
 * the server's components, and a command that never ends would stop all of them.
 */
final class InterfaceHooks {

    private static final Logger LOG = LoggerFactory.getLogger(InterfaceHooks.class);

    static final long TIME_LIMIT_SECONDS = 60;
    private static final String SHELL = "/bin/sh";
    /** What wg-quick replaces in a hook with the interface name. */
    private static final String INTERFACE_TOKEN = "%i";
    /** How long output is still read after the shell has exited, from a background process it started. */
    private static final long OUTPUT_GRACE_MILLIS = 500;

    private InterfaceHooks() {}

    /** A command that failed: which one of the list, and why. */
    record Failure(int index, int of, String command, String reason) {

        @Override
        public String toString() {
            return "command " + (index + 1) + " of " + of + " (" + command + ") " + reason;
        }
    }

    /**
     * Runs the commands of one setting in order.
     *
     * @param setting the setting's name ({@code postUp}, ...), for the log lines
     * @param stopAtFailure whether a failure skips the commands after it (as wg-quick does when
     *        coming up, where a later command may rely on an earlier one)
     * @return the failures, in order; empty when every command succeeded
     */
    static List<Failure> run(String iface, String setting, List<String> commands, boolean stopAtFailure) {
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i).replace(INTERFACE_TOKEN, iface);
            LOG.info("WireGuard interface {} {}: {}", iface, setting, command);
            String reason = runOne(iface, setting, command);
            if (reason != null) {
                failures.add(new Failure(i, commands.size(), command, reason));
                if (stopAtFailure) {
                    break;
                }
            }
        }
        return failures;
    }

    /** The reason why the command failed, or {@code null} if it succeeded. */
    private static String runOne(String iface, String setting, String command) {
        Process process;
        try {
            process = new ProcessBuilder(SHELL, "-c", command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return "could not be started: " + e.getMessage();
        }
        Thread output = startOutputLogger(process, iface, setting);
        try {
            if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return "did not end within " + TIME_LIMIT_SECONDS + " s and was killed";
            }
            // a background process that the command started may keep the output open for ever
            output.join(OUTPUT_GRACE_MILLIS);
            int status = process.exitValue();
            return status == 0 ? null : "exited with status " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return "was interrupted (the server is stopping)";
        }
    }

    private static Thread startOutputLogger(Process process, String iface, String setting) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), Charset.defaultCharset()))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            LOG.info("WireGuard interface {} {}| {}", iface, setting, line);
                        }
                    } catch (IOException e) {
                        // the command was killed, or ended while a background process of its still wrote
                        LOG.debug(
                                "WireGuard interface {} {}: output no longer readable: {}",
                                iface,
                                setting,
                                e.getMessage());
                    }
                },
                "wirehaven-" + iface + "-" + setting);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

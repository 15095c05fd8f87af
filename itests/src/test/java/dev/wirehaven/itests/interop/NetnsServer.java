package dev.wirehaven.itests.interop;

import dev.wirehaven.itests.Eventually;
import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A copy of the server distribution running inside a network namespace, as an operator runs it
 * ({@code bin/wirehaven --no-shell}), with the files an operator edits and the log an operator reads.
 */
final class NetnsServer {

    private final Netns ns;
    private final Path home;
    private final Path out;
    private Process process;

    NetnsServer(Netns ns, Path home, Path out) {
        this.ns = ns;
        this.home = home;
        this.out = out;
    }

    Path home() {
        return home;
    }

    void start(int httpPort, int httpsPort) throws IOException {
        process = ns.spawn(
                out,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_HTTP_PORT", Integer.toString(httpPort),
                        "WIREHAVEN_HTTPS_PORT", Integer.toString(httpsPort),
                        "WIREHAVEN_OPTS", OurJvm.opts()),
                home.resolve("bin/wirehaven").toString(),
                "--no-shell");
    }

    /**
     * As {@link #start}, with the Gogo shell reading the commands that {@link #shell} types, as an
     * operator at the server's terminal would.
     */
    void startWithShell(int httpPort, int httpsPort) throws IOException {
        process = ns.spawnWithInput(
                out,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_HTTP_PORT", Integer.toString(httpPort),
                        "WIREHAVEN_HTTPS_PORT", Integer.toString(httpsPort),
                        "WIREHAVEN_OPTS", OurJvm.opts()),
                home.resolve("bin/wirehaven").toString());
    }

    /** Types one command line into the shell of a server started with {@link #startWithShell}. */
    void shell(String commandLine) throws IOException {
        process.getOutputStream().write((commandLine + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** The first match of {@code pattern} in the log, waiting for it; fails with the log's tail. */
    Matcher await(Pattern pattern, Duration timeout) {
        return awaitAfter(0, pattern, timeout);
    }

    /** As {@link #await}, looking only at what the log says after its first {@code offset} characters. */
    Matcher awaitAfter(int offset, Pattern pattern, Duration timeout) {
        try {
            return Eventually.await(
                    "a line matching /" + pattern + "/ in " + out,
                    timeout,
                    () -> {
                        String log = output();
                        Matcher m = pattern.matcher(log);
                        if (m.find(Math.min(offset, log.length()))) {
                            return m;
                        }
                        if (process != null && !process.isAlive()) {
                            throw new IllegalStateException("the server exited with status " + process.exitValue()
                                    + ":\n" + TestFiles.tail(log, 60));
                        }
                        return null;
                    },
                    m -> m != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n---- server:\n" + TestFiles.tail(output(), 80), e);
        }
    }

    String output() {
        return TestFiles.read(out);
    }

    /** Writes a file of etc/ beside it and renames it in, so that FileInstall never reads half of it. */
    void writeEtc(String name, String content) throws IOException {
        Path tmp = home.resolve("etc/." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        Files.move(
                tmp, home.resolve("etc/" + name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code bin/wirehaven <command> <args>} as an operator types it (user, totp, ...). */
    Command.Result admin(String command, String... args) throws IOException {
        List<String> argv =
                new ArrayList<>(List.of(home.resolve("bin/wirehaven").toString(), command));
        argv.addAll(List.of(args));
        return Command.run(60, Map.of("JAVA_HOME", System.getProperty("java.home")), argv);
    }
}

package dev.wirehaven.itests.interop;

import dev.wirehaven.itests.Eventually;
import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gateway node of a cluster: a copy of the server distribution in its own namespace, run as an
 * operator runs it ({@code bin/wirehaven}, with the Gogo shell reading what {@link #shell} types), with
 * its own WireGuard interface, and the log an operator reads. Unlike {@link NetnsServer} it can be
 * killed the hard way ({@link #kill()}), as a gateway dies when its host loses power.
 */
final class GatewayNode {

    final String name;
    final Netns ns;
    final Path home;
    final String iface;
    private final Path out;
    private Process process;

    GatewayNode(String name, Netns ns, Path home, String iface, Path out) {
        this.name = name;
        this.ns = ns;
        this.home = home;
        this.iface = iface;
        this.out = out;
    }

    void start(int httpPort, int httpsPort) throws IOException {
        process = ns.spawnWithInput(
                out,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_HTTP_PORT", Integer.toString(httpPort),
                        "WIREHAVEN_HTTPS_PORT", Integer.toString(httpsPort),
                        "WIREHAVEN_OPTS", OurJvm.opts()),
                home.resolve("bin/wirehaven").toString());
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * SIGKILL to the server's JVM: {@code ip netns exec} and {@code bin/wirehaven} both exec, so the
     * process the test started is the JVM itself; nothing of it gets to run a shutdown step.
     */
    void kill() throws IOException {
        Command.run(10, "kill", "-KILL", Long.toString(process.pid())).requireOk();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not die of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** SIGTERM, as a service manager stops it: every bundle stops cleanly before the JVM exits. */
    void stop() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not stop on SIGTERM within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Types one command line into the server's Gogo shell; what it prints goes to the log. */
    void shell(String commandLine) throws IOException {
        process.getOutputStream().write((commandLine + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    Matcher await(Pattern pattern, Duration timeout) {
        return awaitAfter(0, pattern, timeout);
    }

    /** The first match of {@code pattern} after the log's first {@code offset} characters; fails with its tail. */
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
                            throw new IllegalStateException(name + " exited with status " + process.exitValue() + ":\n"
                                    + TestFiles.tail(log, 60));
                        }
                        return null;
                    },
                    m -> m != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n---- " + name + ":\n" + TestFiles.tail(output(), 80), e);
        }
    }

    String output() {
        return TestFiles.read(out);
    }

    /** The public keys of the peers on this node's interface, from {@code wg show <iface> peers} (our UAPI). */
    String peers() throws IOException {
        return ns.execOk("wg", "show", iface, "peers").stdout();
    }

    /** Writes a file of etc/ beside it and renames it in, so that FileInstall never reads half of it. */
    void writeEtc(String file, String content) throws IOException {
        Path tmp = home.resolve("etc/." + file + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        Files.move(
                tmp, home.resolve("etc/" + file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code bin/wirehaven <command> <args>} in the node's namespace, as its operator types it there. */
    Command.Result admin(String command, String... args) throws IOException {
        String[] argv = new String[args.length + 2];
        argv[0] = home.resolve("bin/wirehaven").toString();
        argv[1] = command;
        System.arraycopy(args, 0, argv, 2, args.length);
        return ns.exec(90, Map.of("JAVA_HOME", System.getProperty("java.home")), argv);
    }

    @Override
    public String toString() {
        return name;
    }
}

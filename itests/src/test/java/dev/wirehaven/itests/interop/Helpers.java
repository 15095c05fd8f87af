package dev.wirehaven.itests.interop;

import dev.wirehaven.itests.Eventually;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Starts this module's helper programs ({@link TcpTransfer}, {@link UdpFlood}) inside a namespace
 * with the JVM that runs the tests: they need only the JDK and their own class.
 */
final class Helpers {

    private Helpers() {}

    static String[] java(Class<?> main, String... args) {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> argv =
                new ArrayList<>(List.of(javaBin.toString(), "-Xmx256m", "-cp", classesOf(main), main.getName()));
        argv.addAll(List.of(args));
        return argv.toArray(String[]::new);
    }

    /** Runs a helper to completion in {@code ns}. */
    static Command.Result run(Netns ns, long timeoutSeconds, Class<?> main, String... args) throws IOException {
        return ns.exec(timeoutSeconds, Map.of(), java(main, args));
    }

    /** Starts a helper in {@code ns}, its output in {@code log}. */
    static Process spawn(Netns ns, Path log, Class<?> main, String... args) throws IOException {
        return ns.spawn(log, Map.of(), java(main, args));
    }

    /** Waits until {@code log} contains {@code text} (a helper says it is ready) or fails. */
    static void awaitLine(Path log, String text, Process process, long timeoutSeconds) throws IOException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("helper exited before saying '" + text + "': " + Files.readString(log));
            }
            Netns.sleep(50);
        }
        throw new AssertionError("helper did not say '" + text + "' within " + timeoutSeconds + " s");
    }

    /**
     * As {@link #spawn}, with the jars (or class folders) of {@code uses} on the helper's class path too:
     * for a helper that drives the product's own classes (the protocol's cookies, its ciphers).
     */
    static Process spawn(Netns ns, Path log, List<Class<?>> uses, Class<?> main, String... args) throws IOException {
        StringBuilder classPath = new StringBuilder(classesOf(main));
        for (Class<?> used : uses) {
            classPath.append(java.io.File.pathSeparatorChar).append(classesOf(used));
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> argv =
                new ArrayList<>(List.of(javaBin.toString(), "-Xmx128m", "-cp", classPath.toString(), main.getName()));
        argv.addAll(List.of(args));
        return ns.spawn(log, Map.of(), argv.toArray(String[]::new));
    }

    /**
     * Waits until the client CLI started as {@code client}, writing to {@code out}, says it is connected
     * with an address in {@code pool} (for example {@code 10\\.10\\.0}); fails at once if it exits, and
     * on failure shows the client's and the server's last lines.
     */
    static void awaitConnected(
            Process client, Path out, String who, String pool, Duration timeout, Supplier<String> serverOutput) {
        Pattern connected = Pattern.compile("Connected: (" + pool + "\\.\\d+)/32");
        try {
            Eventually.await(
                    who + " connects",
                    timeout,
                    () -> {
                        if (!client.isAlive()) {
                            throw new IllegalStateException("the client exited: " + TestFiles.read(out));
                        }
                        return connected.matcher(TestFiles.read(out)).find();
                    },
                    found -> found);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\n---- client:\n" + TestFiles.tail(TestFiles.read(out), 40) + "\n---- server:\n"
                            + TestFiles.tail(serverOutput.get(), 60),
                    e);
        }
    }

    private static String classesOf(Class<?> main) {
        try {
            return Path.of(main.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.wirehaven.itests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code bin/wirehaven --no-shell} of an unpacked distribution, run as an operator's service manager
 * runs it: its own working directory, no stdin, standard output and error captured to a file.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ServerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the server of {@code home} on the JDK running the tests, with the web console on {@code httpPort}. */
    static ServerProcess start(Path home, int httpPort, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        home.resolve("bin/wirehaven").toString(), "--no-shell")
                // any directory but the home: the script must find its home by itself
                .directory(output.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("WIREHAVEN_HTTP_PORT", Integer.toString(httpPort));
        env.put("WIREHAVEN_OPTS", OurJvm.opts());
        return new ServerProcess(builder.start(), output);
    }

    /** Everything the server printed so far. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> lines() {
        return output().lines().toList();
    }

    long count(Pattern pattern) {
        return lines().stream().filter(line -> pattern.matcher(line).find()).count();
    }

    /** Waits until at least {@code count} lines match; fails with the output if the server exits or time runs out. */
    void awaitLines(Pattern pattern, long count, Duration timeout) {
        awaitLines(count + " line(s) matching /" + pattern + "/", pattern, count, timeout);
    }

    /** As {@link #awaitLines(Pattern, long, Duration)}, saying {@code what} was awaited if it never comes. */
    void awaitLines(String what, Pattern pattern, long count, Duration timeout) {
        Eventually.await(
                what + " in " + output,
                timeout,
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "the server exited with status " + process.exitValue() + ":\n" + output());
                    }
                    return count(pattern);
                },
                seen -> seen >= count);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM (what {@link Process#destroy()} does on Linux) and waits; returns the exit status, or -1 on timeout. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Kills the JVM if it still runs: a failed test must not leave a server behind. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

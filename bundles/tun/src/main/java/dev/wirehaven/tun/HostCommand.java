package dev.wirehaven.tun;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * One program of the host (iproute2's {@code ip}, {@code resolvconf}) run to completion: the one
 * place in Wirehaven where a process is started, used by {@link IpCommand}, {@link
 * InterfaceConfigurator} and the client's DNS configuration.
 *
 * <ul>
 *   <li>No shell: the program and its arguments go to the kernel as an argument array, so no
 *       argument is ever split, globbed or expanded.
 *   <li>A timeout (30 s unless said otherwise) that holds even when the program keeps its output
 *       open: both output streams are drained on their own threads while the caller waits for the
 *       exit, and a program that overruns is killed.
 *   <li>Errors that say what ran and why it failed: the command line, the exit status and the
 *       program's standard error, e.g. {@code '/usr/sbin/ip -4 rule add lookup 51820 pref 32763'
 *       failed (exit 2): RTNETLINK answers: Operation not permitted — run as root or with
 *       CAP_NET_ADMIN}. Standard input is never shown, which is why anything secret must go there
 *       and never into an argument.
 * </ul>
 */
public final class HostCommand {

    /** How long a program may run unless said otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Standard error beyond this many characters is cut in messages (a program gone mad must not flood the log). */
    private static final int MAX_MESSAGE_CHARS = 2000;

    /** The output drains block in read(2), so they get their own daemon threads rather than the common pool's. */
    private static final Executor DRAINS = task -> {
        Thread t = new Thread(task, "wirehaven-host-command-output");
        t.setDaemon(true);
        t.start();
    };

    private final String program;
    private final Duration timeout;
    private final String whenMissing;
    private final UnaryOperator<String> hint;

    private HostCommand(String program, Duration timeout, String whenMissing, UnaryOperator<String> hint) {
        this.program = program;
        this.timeout = timeout;
        this.whenMissing = whenMissing;
        this.hint = hint;
    }

    /**
     * The program {@code name} at the first of {@code usualPaths} that is executable (the system's
     * own directories: a program run as root must not come from a directory that PATH put first,
     * which another user may be able to write), else as found on {@code PATH} (a program installed
     * elsewhere); else the bare name, which {@link #run} then reports as not runnable.
     */
    public static HostCommand find(String name, String... usualPaths) {
        requireProgramName(name);
        return new HostCommand(locate(name, usualPaths), DEFAULT_TIMEOUT, "", stderr -> "");
    }

    /** The program at {@code path} exactly, e.g. one recorded earlier from {@link #program()}. */
    public static HostCommand at(String path) {
        requireProgramName(path);
        return new HostCommand(path, DEFAULT_TIMEOUT, "", stderr -> "");
    }

    /** The path found for the program, or its bare name when it was not found. */
    public String program() {
        return program;
    }

    /** Whether the program exists and is executable. */
    public boolean isInstalled() {
        return Files.isExecutable(Path.of(program));
    }

    /** Runs the program with {@code args} and nothing on standard input; returns its standard output. */
    public String run(List<String> args) throws IOException {
        return run(args, null);
    }

    /**
     * Runs the program with {@code args} and {@code stdin} (UTF-8; {@code null} for none) and returns
     * its standard output.
     *
     * @throws IOException naming the command line, with the exit status and standard error when it
     *     failed, or the time it was given when it did not finish; never with {@code stdin}
     * @throws InterruptedIOException when the calling thread was interrupted (the program is killed)
     */
    public String run(List<String> args, String stdin) throws IOException {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(program);
        for (String a : args) {
            command.add(Objects.requireNonNull(a, "argument"));
        }
        String shown = "'" + String.join(" ", command) + "'";
        ProcessBuilder builder = new ProcessBuilder(command);
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + shown + ": " + e.getMessage() + whenMissing, e);
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), DRAINS);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), DRAINS);
        if (stdin != null) {
            // on its own thread as well: a program that does not read its input must not block us past the timeout
            CompletableFuture.runAsync(() -> write(process.getOutputStream(), stdin), DRAINS);
        }
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new IOException(shown + " did not finish within " + describe(timeout) + " and was killed");
            }
            String err =
                    clip(stderr.get(timeout.toNanos(), TimeUnit.NANOSECONDS).strip());
            if (process.exitValue() != 0) {
                throw new IOException(shown + " failed (exit " + process.exitValue() + "): "
                        + (err.isEmpty() ? "no message" : err) + hint.apply(err));
            }
            return stdout.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + shown);
        } catch (TimeoutException e) {
            // the program exited, but something it started still holds its output open
            throw new IOException(shown + " exited, but its output was not closed within " + describe(timeout));
        } catch (ExecutionException e) {
            throw new IOException(shown + ": " + e.getCause(), e.getCause());
        }
    }

    /** The same program with another time limit. */
    HostCommand withTimeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + limit);
        }
        return new HostCommand(program, limit, whenMissing, hint);
    }

    /**
     * The same program with advice for its failures: {@code whenMissing} is appended when it cannot be
     * started, {@code hint} maps its standard error to a suffix ("" for none).
     */
    HostCommand withAdvice(String whenMissing, UnaryOperator<String> hint) {
        return new HostCommand(program, timeout, whenMissing, hint);
    }

    private static void requireProgramName(String name) {
        if (Objects.requireNonNull(name, "program").isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a program name: '" + name + "'");
        }
    }

    private static String locate(String name, String... usualPaths) {
        if (name.indexOf('/') >= 0) {
            return name;
        }
        for (String candidate : usualPaths) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return name;
    }

    private static void write(OutputStream in, String text) {
        try (in) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the program exited without reading all of it (a broken pipe): its exit status tells the rest
        }
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

    private static String clip(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + " …";
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

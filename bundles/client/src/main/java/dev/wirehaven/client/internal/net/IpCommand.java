package dev.wirehaven.client.internal.net;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs iproute2's {@code ip} for what {@link dev.wirehaven.tun.InterfaceConfigurator} does not
 * cover: routes in another table and policy rules. As there, no shell is involved and every
 * argument is checked against a plain pattern before it reaches the command, so nothing can be read
 * as another option or word. Optionally in a named network namespace ({@code ip -n}), which is how
 * tests exercise it without touching the host.
 */
public final class IpCommand {

    private static final Pattern ARGUMENT = Pattern.compile("[A-Za-z0-9_.:/%@+=-]{1,64}");
    private static final long TIMEOUT_SECONDS = 30;

    private final String namespace;
    private final String ip;

    /** @param namespace a network namespace name, or {@code null} for this process's namespace */
    public IpCommand(String namespace) {
        if (namespace != null && !ARGUMENT.matcher(namespace).matches()) {
            throw new IllegalArgumentException("not a network namespace name: '" + namespace + "'");
        }
        this.namespace = namespace;
        this.ip = find("ip", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");
    }

    /** The namespace this runs in, or {@code null}. */
    public String namespace() {
        return namespace;
    }

    /**
     * Runs {@code ip args...} and returns its standard output.
     *
     * @throws IOException with the command and {@code ip}'s own message when it fails
     */
    public String run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ip);
        if (namespace != null) {
            command.add("-n");
            command.add(namespace);
        }
        for (String a : args) {
            if (!ARGUMENT.matcher(a).matches()) {
                throw new IllegalArgumentException("refusing to pass '" + a + "' to ip");
            }
            command.add(a);
        }
        return exec(command, null);
    }

    /** Runs {@code ip args...}; false (not an exception) when it fails. For undoing, where "already gone" is fine. */
    public boolean tryRun(List<String> args) {
        try {
            run(args);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs a program with optional standard input; the output, or an IOException with the program's
     * message. Shared by the DNS configuration ({@code resolvconf}).
     */
    static String exec(List<String> command, String stdin) throws IOException {
        String shown = String.join(" ", command);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + shown + "': " + e.getMessage(), e);
        }
        if (stdin != null) {
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        String stdout = drain(process.getInputStream());
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("'" + shown + "' did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String err = stderr.get().strip();
            if (process.exitValue() != 0) {
                throw new IOException("'" + shown + "' failed (exit " + process.exitValue() + "): "
                        + (err.isEmpty() ? "no message" : err)
                        + (err.contains("Operation not permitted") ? " — run as root or with CAP_NET_ADMIN" : ""));
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

    /** The first executable among PATH's {@code name} and the usual places; the bare name if none (start fails then, with a message). */
    static String find(String name, String... usual) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        for (String candidate : usual) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return name;
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
}

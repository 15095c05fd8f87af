package dev.wirehaven.wireguard.internal.uapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the stock {@code wg} binary and captures what it prints. */
final class WgTool {

    record Result(int exitCode, String stdout, String stderr) {}

    private WgTool() {}

    /** Whether tests that drive {@code wg} against {@code /var/run/wireguard} can run here. */
    static boolean usable() {
        return "root".equals(System.getProperty("user.name"))
                && path() != null
                && System.getProperty("os.name", "").toLowerCase().startsWith("linux");
    }

    static Path path() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wg"))) {
                return Path.of(dir, "wg");
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/wg")) ? Path.of("/usr/bin/wg") : null;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(path().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wg " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), out, err.join());
    }

    /** Runs {@code wg} and fails unless it exits 0. */
    static String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("wg " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stderr());
        }
        return r.stdout();
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

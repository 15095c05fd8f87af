package dev.wirehaven.itests.interop;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion with a time limit and captures its output. */
final class Command {

    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        Result requireOk() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", argv) + " exited " + exitCode
                        + (stderr.isBlank() ? "" : ": " + stderr.trim())
                        + (stdout.isBlank() ? "" : "\nstdout: " + stdout.trim()));
            }
            return this;
        }
    }

    private Command() {}

    static Result run(long timeoutSeconds, Map<String, String> env, List<String> argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        // a daemon that the program started may hold its output open for ever: read what came in time
        return new Result(argv, p.exitValue(), await(out), await(err));
    }

    static Result run(long timeoutSeconds, String... argv) throws IOException {
        return run(timeoutSeconds, Map.of(), List.of(argv));
    }

    /** Whether {@code program} is an executable on PATH (or in /usr/sbin, /sbin). */
    static Path which(String program) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return null;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String await(CompletableFuture<String> output) {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "(output still held open by a child process)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } catch (java.util.concurrent.ExecutionException e) {
            return "(unreadable: " + e.getCause() + ")";
        }
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

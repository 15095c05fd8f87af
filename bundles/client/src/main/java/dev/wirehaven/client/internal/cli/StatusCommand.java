package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.LinuxPlatform;
import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code status} and {@code disconnect}: both work from the state file of the interface's
 * {@code connect} process, {@code status} adding the device's live counters from its userspace API
 * socket, {@code disconnect} signalling that process ({@code access}, in {@link AccessCommand}, talks
 * to it on its owner-only socket instead).
 */
final class StatusCommand {

    /** How long disconnect waits for the connect process: its DELETE call may take 5 s, the rest is quick. */
    static final long DISCONNECT_WAIT_SECONDS = 30;

    private StatusCommand() {}

    static int status(String iface, ClientCommand.Io io) {
        StateFile file = new StateFile(io.run(), iface);
        PrintStream out = io.out();
        Optional<StateFile.State> read;
        try {
            io.run().checkIfPresent();
            read = file.read();
        } catch (IOException e) {
            io.err().println("wirehaven-client status: " + e.getMessage());
            return ClientCommand.EXIT_FAILED;
        }
        if (read.isEmpty()) {
            out.println(iface + ": not connected (no " + file.file() + ")");
            return ClientCommand.EXIT_NOT_CONNECTED;
        }
        StateFile.State s = read.get();
        if (!StateFile.alive(s)) {
            out.println(iface + ": not connected; the connect process " + s.pid() + " ended without cleaning up."
                    + " 'wirehaven-client disconnect --interface " + iface + "' removes what it left.");
            return ClientCommand.EXIT_NOT_CONNECTED;
        }
        // the state file repeats what the server said (session id, addresses, endpoint): printed through SafeText
        out.println("interface: " + iface + " (process " + s.pid() + ")");
        out.println(SafeText.of("  server: " + s.server() + ", user " + s.user()
                + (s.device() == null || s.device().isEmpty() ? "" : ", device " + s.device())));
        out.println(SafeText.of("  state: " + s.state() + (s.sessionId() == null ? "" : ", session " + s.sessionId())
                + (s.expiresAt() == null ? "" : ", expires " + s.expiresAt())));
        if (!s.addresses().isEmpty()) {
            out.println(SafeText.of("  addresses: " + String.join(", ", s.addresses())));
        }
        if (s.endpoint() != null) {
            out.println(SafeText.of("  endpoint: " + s.endpoint()));
        }
        if (s.latencyMillis() >= 0) {
            out.println("  control latency: " + s.latencyMillis() + " ms (at " + s.updatedAt() + ")");
        }
        Path socket = io.uapiDirectory().resolve(iface + ".sock");
        try {
            List<UapiStatus.Peer> peers = UapiStatus.read(socket);
            for (UapiStatus.Peer p : peers) {
                out.println("  peer: " + Key.fromHex(p.publicKeyHex()).toBase64());
                if (p.lastHandshakeSeconds() > 0) {
                    long age = Math.max(0, Instant.now().getEpochSecond() - p.lastHandshakeSeconds());
                    out.println("    latest handshake: " + age + " s ago");
                } else {
                    out.println("    latest handshake: none yet");
                }
                out.println("    transfer: " + bytes(p.rxBytes()) + " received, " + bytes(p.txBytes()) + " sent");
            }
        } catch (IOException | RuntimeException e) {
            out.println("  (no live counters: cannot read " + socket + ": " + e.getMessage() + ")");
        }
        return ClientCommand.EXIT_OK;
    }

    static int disconnect(String iface, ClientCommand.Io io) {
        StateFile file = new StateFile(io.run(), iface);
        Optional<StateFile.State> read;
        try {
            // the state names the process to signal, the journal what to undo as root: only from a safe directory
            io.run().checkIfPresent();
            read = file.read();
        } catch (IOException e) {
            io.err().println("wirehaven-client disconnect: " + e.getMessage());
            return ClientCommand.EXIT_FAILED;
        }
        LinuxPlatform platform = LinuxPlatform.builder()
                .runDirectory(io.runDirectory())
                .resolvConf(io.resolvConf())
                .build();
        if (read.isPresent() && StateFile.alive(read.get())) {
            return stop(iface, read.get(), io);
        }
        try {
            boolean cleaned = platform.recover(iface, m -> io.out().println("  " + m));
            file.delete();
            Path access = AccessSocket.path(io.run(), iface);
            if (!AccessSocket.answers(access)) {
                Files.deleteIfExists(access); // the dead process's socket for 'access'
            }
            if (read.isEmpty() && !cleaned) {
                io.out().println(iface + ": not connected");
                return ClientCommand.EXIT_NOT_CONNECTED;
            }
            io.out()
                    .println(iface + ": the connect process "
                            + read.map(s -> s.pid() + " ").orElse("") + "had ended without cleaning up; "
                            + (cleaned ? "removed what it left" : "nothing was left"));
            return ClientCommand.EXIT_OK;
        } catch (IOException e) {
            io.err().println("wirehaven-client disconnect: " + e.getMessage());
            return ClientCommand.EXIT_FAILED;
        }
    }

    private static int stop(String iface, StateFile.State s, ClientCommand.Io io) {
        Optional<ProcessHandle> process = ProcessHandle.of(s.pid());
        if (process.isEmpty()) {
            io.out().println(iface + ": disconnected");
            return ClientCommand.EXIT_OK;
        }
        // destroy() is SIGTERM on Linux: the connect process's shutdown hook disconnects cleanly
        if (!process.get().destroy()) {
            io.err()
                    .println("wirehaven-client disconnect: cannot signal process " + s.pid()
                            + " (it belongs to another user? run as the user who connected, or as root)");
            return ClientCommand.EXIT_FAILED;
        }
        io.out().println(iface + ": asked process " + s.pid() + " to disconnect; waiting for it");
        try {
            process.get().onExit().get(DISCONNECT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            io.err()
                    .println("wirehaven-client disconnect: process " + s.pid() + " is still running after "
                            + DISCONNECT_WAIT_SECONDS + " s; see its output");
            return ClientCommand.EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ClientCommand.EXIT_FAILED;
        } catch (ExecutionException e) {
            // onExit does not fail; treat as exited
        }
        io.out().println(iface + ": disconnected");
        return ClientCommand.EXIT_OK;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f %s", v, units[u]);
    }
}

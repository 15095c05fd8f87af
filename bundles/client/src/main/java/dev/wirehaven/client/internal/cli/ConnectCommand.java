package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.ConnectionEvent;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.ConnectionStatus;
import dev.wirehaven.client.LinuxPlatform;
import dev.wirehaven.client.WirehavenClient;
import dev.wirehaven.client.internal.supervise.ClientConnection;
import dev.wirehaven.wireguard.IpAddresses;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code wirehaven-client connect}: the flow, then the foreground until a signal. A shutdown hook
 * makes Ctrl-C and SIGTERM (which {@code disconnect} sends) a clean disconnect, also while the flow
 * still runs (it interrupts it, and the flow undoes what it did). While connected, it serves the
 * resources that {@code wirehaven-client access} asks for from other shells ({@link AccessSocket}).
 */
final class ConnectCommand {

    /** How long the shutdown hook waits for a cancelled flow to undo its work. */
    private static final long CANCEL_WAIT_SECONDS = 30;
    /** How often the state file is rewritten with the connection's latest numbers. */
    private static final Duration STATE_REFRESH = Duration.ofSeconds(15);

    private final Arguments.Connect args;
    private final ClientCommand.Io io;
    private final StateFile state;
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private final CountDownLatch flowDone = new CountDownLatch(1);
    private volatile boolean signalled;
    private volatile Instant processStart;
    /** Guarded by this: the state file was removed for good. */
    private boolean stateRemoved;
    /** Guarded by this: the socket of {@code wirehaven-client access}, or null. */
    private AccessSocket access;

    ConnectCommand(Arguments.Connect args, ClientCommand.Io io) {
        this.args = args;
        this.io = io;
        this.state = new StateFile(io.run(), args.iface());
    }

    int run() {
        LinuxPlatform platform = LinuxPlatform.builder()
                .runDirectory(io.runDirectory())
                .resolvConf(io.resolvConf())
                .notices(io.out()::println)
                .uapiDirectory(io.uapiDirectory())
                .build();
        try {
            io.run().create(); // owner-only when made here; refused when someone else's or open to others
            if (!claimInterface(platform)) {
                return ClientCommand.EXIT_FAILED;
            }
        } catch (IOException e) {
            io.err().println("wirehaven-client: " + e.getMessage());
            return ClientCommand.EXIT_FAILED;
        }
        processStart = StateFile.thisProcessStart();
        String fingerprint;
        try {
            if (args.passwordFile() != null) {
                PasswordFile.check(args.passwordFile());
            }
            fingerprint = FirstContact.fingerprint(
                    args.server(), args.fingerprint(), args.configDir().resolve("known_servers"), io.terminal());
        } catch (IOException e) {
            io.err().println("wirehaven-client: " + SafeText.of(message(e)));
            return ClientCommand.EXIT_FAILED;
        }
        WirehavenClient client = WirehavenClient.builder(args.server())
                .knownServers(args.configDir().resolve("known_servers"))
                .fingerprint(fingerprint)
                .trustOnFirstUse(false)
                .notices(m -> io.out().println(SafeText.of(m)))
                .build();
        CliPrompter prompter = new CliPrompter(args.passwordFile(), io.in(), io.terminal(), io.err());
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> onSignal(main, prompter), "wirehaven-client-disconnect");
        Runtime.getRuntime().addShutdownHook(hook);
        ConnectOptions options = ConnectOptions.forUser(args.user())
                .withInterfaceName(args.iface())
                .withDeviceName(args.device())
                .withAdvertisedSubnets(args.advertise())
                .withListener(this::print);
        Connection c;
        try {
            writeState("CONNECTING", null);
            c = client.connect(options, prompter, platform);
        } catch (IOException e) {
            flowDone.countDown();
            deleteState();
            prompter.close();
            if (signalled) {
                return ClientCommand.EXIT_BY_SIGNAL;
            }
            io.err().println("wirehaven-client: " + SafeText.of(message(e)));
            return ClientCommand.EXIT_FAILED;
        }
        connection.set(c);
        flowDone.countDown();
        if (signalled) {
            c.close();
            return ClientCommand.EXIT_BY_SIGNAL;
        }
        writeState(c.status().state().name(), c);
        openAccess(c);
        try {
            // the state file is refreshed now and then, so that status shows a recent control latency
            while (!c.awaitClosed(STATE_REFRESH)) {
                if (c.status().state() != ConnectionState.CLOSED) {
                    writeState(c.status().state().name(), c);
                }
            }
        } catch (InterruptedException e) {
            c.close();
        }
        if (signalled) {
            return ClientCommand.EXIT_BY_SIGNAL;
        }
        deleteState();
        prompter.close();
        io.err()
                .println("wirehaven-client: "
                        + SafeText.of(c.failure().map(ConnectCommand::message).orElse("the connection ended")));
        return ClientCommand.EXIT_FAILED;
    }

    /** Refuses a second client on the interface; cleans up after one that died. */
    private boolean claimInterface(LinuxPlatform platform) throws IOException {
        var existing = state.read();
        if (existing.isPresent() && StateFile.alive(existing.get())) {
            io.err()
                    .println("wirehaven-client: " + args.iface() + " is already connected by process "
                            + existing.get().pid() + " (to "
                            + SafeText.of(existing.get().server())
                            + "); 'wirehaven-client disconnect"
                            + " --interface " + args.iface() + "' ends it, or choose another --interface");
            return false;
        }
        if (platform.recover(
                args.iface(),
                m -> io.out().println("Cleaned up after an earlier client on " + args.iface() + ": " + m))) {
            io.out().println("(that client ended without restoring the network)");
        }
        state.delete();
        return true;
    }

    private void onSignal(Thread main, CliPrompter prompter) {
        signalled = true;
        Connection c = connection.get();
        if (c == null) {
            // still in the flow: interrupt it; it ends the session and restores the network itself
            main.interrupt();
            try {
                flowDone.await(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c = connection.get();
        }
        if (c != null) {
            c.close();
        }
        deleteState();
        prompter.close();
    }

    /** An event's message carries the server's words (its errors, its prompts): printed through {@link SafeText}. */
    private void print(ConnectionEvent event) {
        PrintStream out = io.out();
        String message = SafeText.of(event.message());
        switch (event.kind()) {
            case CONNECTED, INFO, CLOSED, STEP_UP_DONE -> out.println(message);
            case DIAGNOSIS -> io.err().println("  " + message);
            case LOST, RETRYING, WARNING, STEP_UP_REFUSED -> io.err().println(message);
            default -> out.println(message);
        }
        Connection c = connection.get();
        if (c != null && event.kind() != ConnectionEvent.Kind.CLOSED) {
            writeState(c.status().state().name(), c);
        }
    }

    private synchronized void writeState(String phase, Connection c) {
        if (stateRemoved) {
            return; // the connection ended meanwhile; a late write would look like a crashed client
        }
        ConnectionStatus s = c == null ? null : c.status();
        String publicKey = c instanceof ClientConnection cc ? cc.publicKey().toBase64() : null;
        try {
            state.write(new StateFile.State(
                    ProcessHandle.current().pid(),
                    processStart,
                    args.server().toString(),
                    args.user(),
                    args.iface(),
                    args.device(),
                    publicKey,
                    phase,
                    s == null ? null : s.sessionId(),
                    s == null ? null : s.addresses(),
                    s == null || s.endpoint() == null
                            ? null
                            : IpAddresses.format(s.endpoint().getAddress()) + ":"
                                    + s.endpoint().getPort(),
                    s == null ? null : s.expiresAt(),
                    s == null ? -1 : s.latencyMillis(),
                    Instant.now()));
        } catch (IOException e) {
            io.err()
                    .println("Warning: cannot write " + state.file() + " (" + e.getMessage()
                            + "); status and disconnect from other shells will not see this connection");
        }
    }

    /** Serves 'wirehaven-client access' from other shells; without it the connection works on. */
    private synchronized void openAccess(Connection c) {
        if (stateRemoved) {
            return; // the connection ends already
        }
        Path path = io.run().file(args.iface(), ".access");
        try {
            path = AccessSocket.path(io.run(), args.iface());
            access = AccessSocket.start(path, c, m -> io.out().println(SafeText.of(m)));
        } catch (IOException e) {
            io.err()
                    .println("Warning: cannot open " + path + " (" + SafeText.of(e.getMessage())
                            + "); 'wirehaven-client access' will not reach this connection");
        }
    }

    private synchronized void deleteState() {
        if (access != null) {
            access.close();
            access = null;
        }
        stateRemoved = true;
        try {
            state.delete();
        } catch (IOException e) {
            io.err().println("Warning: cannot remove " + state.file() + ": " + e.getMessage());
        }
    }

    static String message(IOException e) {
        if (e instanceof ClientException ce && ce.reason() == ClientException.Reason.CANCELLED) {
            return "cancelled: " + e.getMessage();
        }
        return e.getMessage();
    }
}

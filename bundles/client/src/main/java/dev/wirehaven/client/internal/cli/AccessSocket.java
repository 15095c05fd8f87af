package dev.wirehaven.client.internal.cli;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.client.AccessGrant;
import dev.wirehaven.client.AccessProtocol;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.internal.cli.AccessWire.Message;
import dev.wirehaven.client.internal.files.OwnerOnlyFiles;
import dev.wirehaven.client.internal.files.RunDirectory;
import dev.wirehaven.wireguard.IpAddresses;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * How {@code wirehaven-client access} in another shell reaches the session that a running
 * {@code connect} holds: {@code <run-dir>/<iface>.access}, a Unix domain socket of that process, over
 * which the command asks for a resource and answers a further factor ({@link AccessWire}); the process
 * asks the server with {@link Connection#requestAccess(String, int, AccessProtocol, CredentialPrompter)},
 * relaying the prompts to the command.
 *
 * <p>The session token never leaves the process (the state file holds none). Who may ask is decided as
 * for {@code disconnect}, which signals the process: the operating system's permissions. The socket is
 * owner-only (0600), so only the process's own user and root can connect, and it appears at its path
 * only when it is owner-only: bound inside a fresh 0700 directory, set to 0600, then hard-linked into
 * place (Java cannot set a umask around {@code bind}).
 *
 * <p>A few commands at a time ({@value #MAX_CLIENTS}), one thread each; a command that sends no request
 * within {@link #REQUEST_DEADLINE} is cut off. Answers to prompts may take as long as the person takes.
 */
final class AccessSocket implements Closeable {

    static final int MAX_CLIENTS = 4;
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    private final Object inode;
    private final ServerSocketChannel server;
    private final Connection connection;
    private final Consumer<String> log;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger served = new AtomicInteger();
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private volatile boolean closed;

    private AccessSocket(
            Path path, Object inode, ServerSocketChannel server, Connection connection, Consumer<String> log) {
        this.path = path;
        this.inode = inode;
        this.server = server;
        this.connection = connection;
        this.log = log;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wirehaven-client-access-deadline");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "wirehaven-client-access");
        acceptor.setDaemon(true);
    }

    /** Longest socket path: {@code sun_path} holds 108 bytes with the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;

    /**
     * The socket of interface {@code iface}'s connect process in this network namespace (keyed like the
     * state file, so that a connect process of another namespace never answers).
     *
     * @throws IOException when the path does not fit in a Unix socket address
     */
    static Path path(RunDirectory run, String iface) throws IOException {
        Path p = run.file(iface, ".access");
        if (p.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("the access socket " + p + " would be longer than a Unix socket path may be ("
                    + MAX_PATH_BYTES + " bytes); choose a shorter run directory (WIREHAVEN_CLIENT_RUN_DIR)");
        }
        return p;
    }

    /**
     * Claims {@code path} (a socket there that nobody answers on is left from a process that died, and
     * is replaced) and serves {@code connection}'s access requests on it.
     *
     * @param log told of each request and each refusal, as a sentence (with the server's words in it)
     * @throws IOException if another process serves {@code path}, something else is there, or the socket
     *         cannot be made
     */
    static AccessSocket start(Path path, Connection connection, Consumer<String> log) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        Path name = path.getFileName();
        if (directory == null || name == null) {
            throw new IOException(path + " is not a socket path");
        }
        OwnerOnlyFiles.createDirectory(directory);
        removeStale(path);
        // a fresh directory of a random name: createDirectory fails rather than take one that exists; the
        // name is short because a socket's whole path must fit in sun_path (108 bytes)
        Path staging = Files.createDirectory(
                directory.resolve(".a" + randomSuffix()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = staging.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(path, staged);
            } catch (FileAlreadyExistsException e) {
                throw new IOException(path + " appeared meanwhile: another process serves it", e);
            }
            Object inode = Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)
                    .get("ino");
            AccessSocket s = new AccessSocket(path, inode, server, connection, log);
            s.acceptor.start();
            return s;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(staged);
            Files.deleteIfExists(staging);
        }
    }

    Path path() {
        return path;
    }

    /** Stops taking requests, ends those under way and removes the socket if it is still this one. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Object now = Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)
                    .get("ino");
            if (Objects.equals(now, inode)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // gone already, or not ours to remove
        }
        closeQuietly(server);
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
        deadlines.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.accept("Access requests from other shells stop: " + e.getMessage());
                }
                return;
            }
            if (!slots.tryAcquire()) {
                refuseBusy(channel);
                continue;
            }
            open.add(channel);
            Thread worker = new Thread(() -> serve(channel), "wirehaven-client-access-" + served.incrementAndGet());
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void refuseBusy(SocketChannel channel) {
        try (channel) {
            new AccessWire(channel)
                    .write(Message.refused(
                            "BUSY",
                            "the connect process already serves " + MAX_CLIENTS + " access requests; try again"
                                    + " when one of them is done"));
        } catch (IOException e) {
            // the command went away
        }
    }

    private void serve(SocketChannel channel) {
        try {
            AccessWire wire = new AccessWire(channel);
            ScheduledFuture<?> cutOff =
                    deadlines.schedule(() -> closeQuietly(channel), REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            Message request;
            try {
                request = wire.read();
            } finally {
                cutOff.cancel(false);
            }
            if (request != null) {
                wire.write(answer(request, wire));
            }
        } catch (IOException | RuntimeException e) {
            // the command went away, was cut off, or sent something else than the conversation
        } finally {
            open.remove(channel);
            closeQuietly(channel);
            slots.release();
        }
    }

    /** What the server says to {@code request}: the grant, or why not. */
    private Message answer(Message request, AccessWire wire) {
        if (!AccessWire.ACCESS.equals(request.type()) || request.host() == null || request.port() == null) {
            return Message.refused("INVALID", "expected an access request with a protocol, a host and a port");
        }
        AccessProtocol protocol;
        try {
            protocol = AccessProtocol.of(request.protocol());
        } catch (IllegalArgumentException e) {
            return Message.refused("INVALID", e.getMessage());
        }
        String what = protocol.wireName() + " " + request.host() + (protocol.hasPorts() ? ":" + request.port() : "");
        log.accept("Access to " + what + " asked for by 'wirehaven-client access'");
        try {
            AccessGrant g = connection.requestAccess(request.host(), request.port(), protocol, new Relay(wire));
            return Message.granted(new ResourceGrant(
                    g.protocol().wireName(), IpAddresses.format(g.destination()), g.port(), g.until(), g.reason()));
        } catch (ClientException e) {
            log.accept("Access to " + what + " not granted: " + e.getMessage());
            return Message.refused(e.reason().name(), e.getMessage());
        } catch (UnknownHostException e) {
            return Message.refused("UNKNOWN_HOST", e.getMessage());
        } catch (IllegalArgumentException e) {
            return Message.refused("INVALID", e.getMessage());
        } catch (IOException e) {
            return Message.refused("FAILED", e.getMessage());
        }
    }

    private static void removeStale(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)
                    .get("mode");
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(path + " exists and is not a socket; remove it");
        }
        if (answers(path)) {
            throw new IOException("another process serves " + path);
        }
        Files.deleteIfExists(path); // left by a process that died
    }

    private static String randomSuffix() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Whether a live process accepts connections at {@code path}. */
    static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing for cleanup; nothing useful to do
        }
    }

    /**
     * The connection's prompter for one request: each question goes to the command, which asks its
     * person (terminal or standard input) and sends the answer back.
     */
    private static final class Relay implements CredentialPrompter {

        private final AccessWire wire;

        Relay(AccessWire wire) {
            this.wire = wire;
        }

        /** Every kind: the command's prompter answers every kind. */
        @Override
        public boolean answers(CredentialKind kind) {
            return true;
        }

        @Override
        public synchronized char[] secret(URI server, String username, MethodPrompt prompt) throws IOException {
            wire.write(Message.secret(server.toString(), username, prompt));
            Message m = wire.read();
            if (m == null) {
                throw new ClientException(Reason.NO_CREDENTIALS, "the access command ended before it answered");
            }
            if (AccessWire.NO_ANSWER.equals(m.type())) {
                throw new ClientException(
                        Reason.NO_CREDENTIALS, m.message() == null ? "no answer was given" : m.message());
            }
            if (!AccessWire.ANSWER.equals(m.type()) || m.secret() == null) {
                throw new ClientException(Reason.NO_CREDENTIALS, "the access command sent no answer");
            }
            return m.secret().toCharArray();
        }

        @Override
        public char[] password(URI server, String username) throws IOException {
            return secret(server, username, new MethodPrompt("password", CredentialKind.PASSWORD, ""));
        }

        @Override
        public String oneTimeCode(URI server, String username, String method) throws IOException {
            return text(secret(server, username, new MethodPrompt(method, CredentialKind.ONE_TIME_CODE, "")));
        }

        @Override
        public String token(URI server, String username, String method) throws IOException {
            return text(secret(server, username, new MethodPrompt(method, CredentialKind.BEARER_TOKEN, "")));
        }

        @Override
        public synchronized void showApproval(URI server, String username, String method, ApprovalPrompt approval)
                throws IOException {
            wire.write(Message.approval(server.toString(), username, method, approval));
        }

        private static String text(char[] chars) {
            try {
                return new String(chars).strip();
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
    }
}

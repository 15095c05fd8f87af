package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.auth.local.internal.users.AdminProtocol.MalformedRequest;
import dev.wirehaven.server.support.files.DataDirectory;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local admin channel: a UNIX domain socket at {@code <data>/run/admin.sock} through which
 * {@code bin/wirehaven user ...} changes the users while the server runs, since the embedded
 * database can be open in only one process. It speaks {@link AdminProtocol}: the user operations
 * and nothing else, not a shell.
 *
 * <p>Access is the file system's: the {@code run} directory is rwx------ and the socket rw-------,
 * so only the server's own user (and root) can connect. The socket is bound before its mode is
 * set; in between it is already unreachable for others because of the directory.
 *
 * <p>Connections are served one at a time on one thread: operators' requests are rare and short,
 * and serving them in order means two of them never race. A client that stops sending is cut off
 * after {@link #CONNECTION_DEADLINE}. Every request is logged with its outcome, without the password.
 */
@Component(
        service = {},
        immediate = true)
public final class AdminSocketServer {

    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(AdminSocketServer.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SOCKET = PosixFilePermissions.fromString("rw-------");

    private final Path socket;
    private final UserAdministration users;
    private final Duration deadline;
    private final ServerSocketChannel server;
    private final ScheduledExecutorService cutOffTimer;
    private final Thread acceptor;
    private volatile boolean open = true;
    private volatile SocketChannel current;

    @Activate
    public AdminSocketServer(BundleContext context, @Reference LocalUsers users) throws IOException {
        this(
                AdminSocketAddress.socketIn(DataDirectory.of(context.getProperty(DataDirectory.PROPERTY))),
                users.administration(),
                CONNECTION_DEADLINE);
    }

    AdminSocketServer(Path socket, UserAdministration users, Duration deadline) throws IOException {
        this.socket = socket;
        this.users = users;
        this.deadline = deadline;
        Path directory = socket.getParent();
        if (directory == null) {
            throw new IOException("Cannot serve the admin socket " + socket + " for 'bin/wirehaven user': it needs a"
                    + " directory of its own");
        }
        prepareDirectory(directory);
        removeLeftOver(socket);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, SOCKET);
        } catch (IOException | UnsupportedOperationException e) {
            channel.close();
            throw new IOException(
                    "Cannot serve the admin socket " + socket + " for 'bin/wirehaven user': " + e.getMessage(), e);
        }
        this.server = channel;
        this.cutOffTimer =
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "wirehaven-admin-socket-deadline"));
        this.acceptor = daemon(this::serve, "wirehaven-admin-socket");
        acceptor.start();
        LOG.info("Admin socket for 'bin/wirehaven user' open at {}", socket);
    }

    /** Stops serving and removes the socket file, so that the command line opens the store itself. */
    @Deactivate
    void close() {
        open = false;
        closeQuietly(server);
        SocketChannel client = current;
        if (client != null) {
            closeQuietly(client);
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cutOffTimer.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("Cannot remove the admin socket {}: {}", socket, e.getMessage());
        }
        LOG.info("Admin socket {} closed", socket);
    }

    Path socket() {
        return socket;
    }

    private void serve() {
        while (open) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                if (!open) {
                    return;
                }
                LOG.warn("Admin socket {}: accepting a connection failed: {}", socket, e.getMessage());
                continue;
            }
            current = client;
            ScheduledFuture<?> cutOff =
                    cutOffTimer.schedule(() -> closeQuietly(client), deadline.toMillis(), TimeUnit.MILLISECONDS);
            try {
                handle(client);
            } finally {
                cutOff.cancel(false);
                closeQuietly(client);
                current = null;
            }
        }
    }

    private void handle(SocketChannel client) {
        byte[] line = new byte[AdminProtocol.MAX_REQUEST_BYTES];
        UserRequest request = null;
        String answer;
        try {
            request = AdminProtocol.decode(line, AdminProtocol.readRequest(client, line));
            UserOutcome outcome = users.perform(request);
            LOG.info("Admin socket: {}: {}", request, outcome.sentence());
            answer = AdminProtocol.answer(outcome);
        } catch (MalformedRequest e) {
            LOG.warn("Admin socket: refused a malformed request: {}", e.getMessage());
            answer = AdminProtocol.refusal("Malformed request: " + e.getMessage());
        } catch (UserAdminException e) {
            LOG.info("Admin socket: {} refused: {}", request, e.getMessage());
            answer = AdminProtocol.refusal(e.getMessage());
        } catch (AsynchronousCloseException e) {
            if (open) {
                LOG.warn(
                        "Admin socket: closed a connection that sent no complete request within {} s",
                        deadline.toMillis() / 1000.0);
            }
            return;
        } catch (IOException e) {
            LOG.warn("Admin socket: reading a request failed: {}", e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.error("Admin socket: {} failed", request, e);
            answer = AdminProtocol.refusal("The server failed (" + e.getClass().getSimpleName() + "); see its log.");
        } finally {
            Arrays.fill(line, (byte) 0);
            if (request != null) {
                request.clear();
            }
        }
        try {
            ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            LOG.warn("Admin socket: the client left before the answer to {}: {}", request, e.getMessage());
        }
    }

    private static void prepareDirectory(Path directory) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        // the fallback directory sits in a shared tmpdir: one that another user made (or a link planted
        // there) could swap the socket, so it is checked before anything is changed through it; a chmod
        // first would follow a planted link and loosen or tighten whatever it points to
        PosixFileAttributes attributes =
                Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(me)) {
            throw new IOException(directory + " is not a directory of user " + me
                    + " (a link, or another user's); remove it and start the server again");
        }
        // the umask may have taken bits from the new directory, and an old one keeps its own
        Files.setPosixFilePermissions(directory, DIRECTORY);
    }

    /** A socket file without a server behind it is what a killed server leaves; a live one is another server's. */
    private static void removeLeftOver(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean answered;
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            answered = true;
        } catch (IOException nobodyListens) {
            answered = false;
        }
        if (answered) {
            throw new IOException("Another process serves the admin socket " + socket
                    + "; is a second server running with the same data directory?");
        }
        Files.delete(socket);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that is left to do with it
        }
    }
}

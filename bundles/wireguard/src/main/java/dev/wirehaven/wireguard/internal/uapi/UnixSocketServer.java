package dev.wirehaven.wireguard.internal.uapi;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream-mode Unix domain socket at a fixed path, served by one thread per connection up to a
 * small limit (Java 17 has no virtual threads; configuration clients are few and short-lived).
 *
 * <p>The socket appears at its path only when it is ready and owner-only: it is bound inside a
 * fresh 0700 directory, set to 0600, and then hard-linked into place. The link fails if the path
 * exists, so two servers can never both believe that they own it (wireguard-go gets the same from
 * {@code umask(0077)} around {@code bind}, which Java cannot call). A socket file already at the
 * path is replaced only if no live server answers on it.
 */
final class UnixSocketServer implements Closeable {

    /** Concurrent connections; further clients are closed at once. */
    static final int MAX_CONNECTIONS = 16;

    /** What to do with one accepted connection; the server closes it afterwards. */
    @FunctionalInterface
    interface Handler {
        void serve(SocketChannel channel) throws IOException;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final Object inode;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final ServerLog log;
    private final String threadName;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private UnixSocketServer(
            Path path, Object inode, ServerSocketChannel server, Handler handler, ServerLog log, String threadName) {
        this.path = path;
        this.inode = inode;
        this.server = server;
        this.handler = handler;
        this.log = log;
        this.threadName = threadName;
        this.acceptor = new Thread(this::acceptLoop, threadName);
        acceptor.setDaemon(true);
    }

    /**
     * Creates the directory (0755) if needed, claims {@code path} and starts accepting.
     *
     * @throws IOException if a live server already answers at {@code path}, if {@code path} is
     *         something other than a socket, or if the directory cannot be written
     */
    static UnixSocketServer start(Path path, Handler handler, ServerLog log, String threadName) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        Path name = path.getFileName();
        if (directory == null || name == null) {
            throw new IOException(path + " is not a socket path: it needs a directory and a file name");
        }
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        removeStale(path);
        Path staging = Files.createTempDirectory(
                directory,
                "." + name + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = staging.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(path, staged);
            } catch (FileAlreadyExistsException e) {
                throw new IOException(path + " appeared while starting: another process is serving it", e);
            }
            Object inode = Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)
                    .get("ino");
            UnixSocketServer s = new UnixSocketServer(path, inode, server, handler, log, threadName);
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

    /** The socket's path. */
    Path path() {
        return path;
    }

    /**
     * Whether our socket is still at its path. wireguard-go shuts down when its socket is deleted;
     * the command line does the same by polling this.
     */
    boolean stillPresent() {
        try {
            Object now = Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)
                    .get("ino");
            return Objects.equals(now, inode);
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops accepting, closes every connection and removes the socket file if it is still ours. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (stillPresent()) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.error("cannot remove " + path + ": " + e.getMessage());
            }
        }
        closeQuietly(server);
        for (SocketChannel channel : open) {
            closeQuietly(channel);
        }
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.error("accept failed on " + path + ": " + e.getMessage());
                }
                return;
            }
            if (!slots.tryAcquire()) {
                log.error("more than " + MAX_CONNECTIONS + " clients on " + path + ", closing a connection");
                closeQuietly(channel);
                continue;
            }
            open.add(channel);
            Thread worker = new Thread(() -> serve(channel), threadName + "-" + connectionCount.incrementAndGet());
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void serve(SocketChannel channel) {
        try {
            handler.serve(channel);
        } catch (ClosedChannelException e) {
            // the server closed, or the client went away
        } catch (IOException e) {
            if (!closed) {
                log.verbose("client on " + path + " failed: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("client handler on " + path + " failed: " + e);
        } finally {
            open.remove(channel);
            closeQuietly(channel);
            slots.release();
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
            throw new IOException(path + " exists and is not a socket; remove it or choose another interface name");
        }
        if (answers(path)) {
            throw new IOException("a running process already serves " + path
                    + " (is the interface already up? stop that process first)");
        }
        // nobody answers: a socket left behind by a process that died
        Files.deleteIfExists(path);
    }

    /** Whether a live server accepts connections at {@code path}. */
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
}

package dev.wirehaven.auth.local.internal.users;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Timer;
import java.util.TimerTask;

/**
 * The command line's side of the admin socket: sends one request to the running server and reads
 * its answer, or says that no server is there, so that the caller may open the store itself.
 */
final class AdminSocketClient {

    private final Path socket;
    private final Duration patience;

    AdminSocketClient(Path socket, Duration patience) {
        this.socket = socket;
        this.patience = patience;
    }

    /**
     * Asks the running server to carry out {@code request}.
     *
     * @return the outcome, or empty when no server listens on the socket (no socket file, or one
     *         that a killed server left behind)
     * @throws UserAdminException when the server refused the request (its sentence), or when the
     *         socket exists but cannot be used (the reason and what to do)
     */
    /**
     * The request carries a password: it goes only to a socket that the user running this command
     * owns (as the server made it), never to one that another local user planted at that path.
     */
    private void requireOwnSocket() throws UserAdminException {
        String me = System.getProperty("user.name");
        try {
            PosixFileAttributes attributes =
                    Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink() || !attributes.owner().getName().equals(me)) {
                throw new UserAdminException("The admin socket " + socket + " is "
                        + (attributes.isSymbolicLink()
                                ? "a link"
                                : "owned by " + attributes.owner().getName())
                        + ", not a socket of user " + me + " who runs this command; nothing was sent. Run this as"
                        + " the user that runs the server, and remove a socket you did not expect there.");
            }
        } catch (IOException e) {
            throw new UserAdminException("Cannot check the admin socket " + socket + ": " + e.getMessage());
        }
    }

    Optional<UserOutcome> send(UserRequest request) throws UserAdminException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        requireOwnSocket();
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException refused) {
            return Optional.empty();
        } catch (SocketException e) {
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty(); // the server stopped between the look and the connect
            }
            throw new UserAdminException("Cannot connect to the server's admin socket " + socket + ": " + e.getMessage()
                    + ". Run this as the user that runs the server.");
        } catch (IOException e) {
            throw new UserAdminException(
                    "Cannot connect to the server's admin socket " + socket + ": " + e.getMessage());
        }
        // a blocking UNIX socket channel has no read timeout: a timer closes it if the server hangs
        Timer timer = new Timer("wirehaven-admin-socket-patience", true);
        timer.schedule(
                new TimerTask() {
                    @Override
                    public void run() {
                        try {
                            channel.close();
                        } catch (IOException e) {
                            // nothing more to do for a connection that is given up
                        }
                    }
                },
                patience.toMillis());
        byte[] line = AdminProtocol.encode(request);
        try (channel) {
            ByteBuffer out = ByteBuffer.wrap(line);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            return Optional.of(AdminProtocol.readAnswer(in, request.operation() == UserRequest.Operation.LIST));
        } catch (AsynchronousCloseException e) {
            throw new UserAdminException("The server did not answer on " + socket + " within " + patience.toSeconds()
                    + " s; see the server's log.");
        } catch (IOException e) {
            throw new UserAdminException(
                    "The connection to the server's admin socket " + socket + " failed: " + e.getMessage());
        } finally {
            timer.cancel();
            Arrays.fill(line, (byte) 0);
        }
    }
}

package dev.wirehaven.client.internal.cli;

import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.internal.cli.AccessWire.Message;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code wirehaven-client access HOST:PORT [--udp | --icmp]}: asks the server, through the session that
 * the interface's {@code connect} process holds, to open one resource (seed use case 2), and prints the
 * grant. The process is found by its state file, as {@code status} and {@code disconnect} find it, and is
 * asked on its owner-only access socket ({@link AccessSocket}); a further factor that the policy asks for
 * is asked here, on this terminal or from standard input ({@link CliPrompter}), and relayed.
 *
 * <p>Exit status: 0 granted, 4 not granted (the policy refused, or the further factor was not given),
 * 3 not connected, 1 anything else (the message says what), 2 wrong usage.
 */
final class AccessCommand {

    /** {@code 2026-12-03 14:03:00 UTC}. */
    static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The refusals that are the server's answer (exit 4) rather than a failure to get one (exit 1). */
    private static final Set<String> NOT_GRANTED = Set.of(
            ClientException.Reason.DENIED.name(),
            ClientException.Reason.AUTHENTICATION_FAILED.name(),
            ClientException.Reason.NO_CREDENTIALS.name());

    private static final String ME = "wirehaven-client access: ";

    private AccessCommand() {}

    static int run(Arguments.Access args, ClientCommand.Io io) {
        String iface = args.iface();
        StateFile file = new StateFile(io.run(), iface);
        Optional<StateFile.State> read;
        Path socket;
        try {
            io.run().checkIfPresent(); // what is read there decides which process is asked
            read = file.read();
            socket = AccessSocket.path(io.run(), iface);
        } catch (IOException e) {
            io.err().println(ME + e.getMessage());
            return ClientCommand.EXIT_FAILED;
        }
        if (read.isEmpty()) {
            io.err().println(iface + ": not connected (no " + file.file() + "); 'wirehaven-client connect' first");
            return ClientCommand.EXIT_NOT_CONNECTED;
        }
        StateFile.State state = read.get();
        if (!StateFile.alive(state)) {
            io.err()
                    .println(iface + ": not connected; the connect process " + state.pid()
                            + " ended without cleaning up");
            return ClientCommand.EXIT_NOT_CONNECTED;
        }
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            io.err()
                    .println(ME + "the connect process " + state.pid() + " of " + iface + " takes no access requests"
                            + " (no " + socket + "): it is still connecting, or an older wirehaven-client started it");
            return ClientCommand.EXIT_FAILED;
        }
        Optional<String> foreign = foreignSocket(socket, state.pid());
        if (foreign.isPresent()) {
            io.err().println(ME + foreign.get());
            return ClientCommand.EXIT_FAILED;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            io.err()
                    .println(ME + "cannot reach the connect process " + state.pid() + " on " + socket + " ("
                            + e.getMessage() + "); run this as the user who connected, or as root");
            return ClientCommand.EXIT_FAILED;
        }
        try (channel;
                CliPrompter prompter = new CliPrompter(null, io.in(), io.terminal(), io.err())) {
            return converse(args, new AccessWire(channel), prompter, io, state.pid());
        } catch (IOException | RuntimeException e) {
            io.err()
                    .println(ME + "the conversation with the connect process " + state.pid() + " failed: "
                            + SafeText.of(e.getMessage()));
            return ClientCommand.EXIT_FAILED;
        }
    }

    private static int converse(
            Arguments.Access args, AccessWire wire, CliPrompter prompter, ClientCommand.Io io, long pid)
            throws IOException {
        wire.write(Message.access(args.protocol().wireName(), args.host(), args.port()));
        for (; ; ) {
            Message m = wire.read();
            if (m == null) {
                io.err()
                        .println(ME + "the connect process " + pid + " ended the conversation without an answer;"
                                + " see its output");
                return ClientCommand.EXIT_FAILED;
            }
            switch (m.type()) {
                case AccessWire.SECRET -> answer(m, wire, prompter);
                case AccessWire.APPROVAL ->
                    prompter.showApproval(URI.create(m.server()), m.username(), m.method(), m.approval());
                case AccessWire.GRANTED -> {
                    if (m.grant() == null) {
                        throw new IOException("a grant without its content");
                    }
                    io.out().println(SafeText.of(describe(m.grant())));
                    return ClientCommand.EXIT_OK;
                }
                case AccessWire.REFUSED -> {
                    io.err().println(ME + SafeText.of(String.valueOf(m.message())));
                    return NOT_GRANTED.contains(m.reason())
                            ? ClientCommand.EXIT_NOT_GRANTED
                            : ClientCommand.EXIT_FAILED;
                }
                default -> throw new IOException("an unexpected message (" + SafeText.of(m.type()) + ")");
            }
        }
    }

    /** Asks the person what the process asks for, and sends the answer, or why there is none. */
    private static void answer(Message m, AccessWire wire, CliPrompter prompter) throws IOException {
        if (m.prompt() == null || m.server() == null || m.username() == null) {
            throw new IOException("a question without its prompt");
        }
        char[] secret = null;
        try {
            secret = prompter.secret(URI.create(m.server()), m.username(), m.prompt());
            wire.write(Message.answer(new String(secret)));
        } catch (ClientException e) {
            wire.write(Message.noAnswer(e.getMessage()));
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    /** {@code Granted tcp 10.20.0.5:22 until 2026-12-03 14:03:00 UTC (rule acl:admin-ssh)}; not yet made safe. */
    static String describe(ResourceGrant g) {
        String host = g.destination();
        String target = "icmp".equals(g.protocol())
                ? host
                : (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + g.port();
        return "Granted " + g.protocol() + " " + target + " until " + UNTIL.format(g.until())
                + (g.reason().isEmpty() ? "" : " (" + g.reason() + ")");
    }

    /**
     * Why {@code socket} is not one to send a secret to, if it is not: a link, or a socket of another user
     * than the one who runs this command (planted at the path by someone else). Root may use the socket of
     * the user who runs the connect process, as it may signal that process ({@code disconnect}).
     */
    private static Optional<String> foreignSocket(Path socket, long pid) {
        String me = System.getProperty("user.name");
        try {
            PosixFileAttributes a = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String owner = a.owner().getName();
            boolean ownersProcess = "root".equals(me)
                    && ProcessHandle.of(pid)
                            .flatMap(p -> p.info().user())
                            .map(owner::equals)
                            .orElse(false);
            if (a.isSymbolicLink() || !(owner.equals(me) || ownersProcess)) {
                return Optional.of(socket + " is "
                        + (a.isSymbolicLink() ? "a link" : "owned by " + owner)
                        + ", not a socket of user " + me + " who runs this command; nothing was sent. Run this as"
                        + " the user who connected, and remove a socket you did not expect there.");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot check " + socket + ": " + e.getMessage());
        }
    }
}

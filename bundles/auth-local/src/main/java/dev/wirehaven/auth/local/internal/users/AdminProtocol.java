package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.auth.local.internal.users.UserRequest.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The line protocol of the admin socket: exactly the user operations, nothing else, one request
 * per connection. UTF-8, fields separated by TAB (which user names cannot contain), lines ended
 * by LF.
 *
 * <pre>
 * request:   add TAB name TAB password | reset TAB name TAB password
 *          | disable TAB name | enable TAB name | remove TAB name | list
 * answer:    (user TAB name TAB yes|no TAB created-at)*   list only: one line per user, "yes" if disabled
 *            ok TAB sentence | error TAB sentence          always, and always last
 * </pre>
 *
 * The password is the last field, so it may contain TABs; it cannot contain a line break, which
 * {@link UserAdministration#checkPassword(char[])} refuses everywhere. It never becomes a
 * {@code String}, so that both ends can wipe it.
 */
final class AdminProtocol {

    /** The longest request line: a name, a password of at most 1024 chars, and room to spare. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;

    static final String USER = "user";
    static final String OK = "ok";
    static final String ERROR = "error";
    private static final byte TAB = '\t';
    private static final byte LF = '\n';

    /** The request did not follow the protocol. */
    static final class MalformedRequest extends Exception {

        private static final long serialVersionUID = 1L;

        MalformedRequest(String message) {
            super(message);
        }
    }

    private AdminProtocol() {}

    /** The request as bytes, LF included; the caller wipes them after sending. */
    static byte[] encode(UserRequest request) {
        Operation o = request.operation();
        byte[] head = (o.word() + (o.named ? "\t" + request.name() : "") + (o.withPassword ? "\t" : ""))
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer password = o.withPassword
                ? StandardCharsets.UTF_8.encode(CharBuffer.wrap(request.password()))
                : ByteBuffer.allocate(0);
        byte[] line = new byte[head.length + password.remaining() + 1];
        System.arraycopy(head, 0, line, 0, head.length);
        password.get(line, head.length, password.remaining());
        line[line.length - 1] = LF;
        Arrays.fill(password.array(), (byte) 0);
        return line;
    }

    /**
     * Reads the request line into {@code buffer}, without its LF.
     *
     * @return the length of the line
     * @throws MalformedRequest when the stream ends before a LF or the line does not fit
     */
    static int readRequest(ReadableByteChannel in, byte[] buffer) throws IOException, MalformedRequest {
        ByteBuffer into = ByteBuffer.wrap(buffer);
        int scanned = 0;
        while (true) {
            for (; scanned < into.position(); scanned++) {
                if (buffer[scanned] == LF) {
                    return scanned;
                }
            }
            if (!into.hasRemaining()) {
                throw new MalformedRequest("the request is longer than " + buffer.length + " bytes");
            }
            if (in.read(into) < 0) {
                throw new MalformedRequest("the connection ended before the request did");
            }
        }
    }

    /** Parses a request line (without its LF); does not wipe {@code line}. */
    static UserRequest decode(byte[] line, int length) throws MalformedRequest {
        int first = indexOf(line, 0, length, TAB);
        String word = utf8(line, 0, first < 0 ? length : first);
        Operation operation = Operation.of(word);
        if (operation == null) {
            throw new MalformedRequest("unknown operation '" + printable(word) + "'");
        }
        if (!operation.named) {
            if (first >= 0) {
                throw new MalformedRequest(word + " takes no arguments");
            }
            return new UserRequest(operation, null, null);
        }
        if (first < 0) {
            throw new MalformedRequest(word + " needs a user name");
        }
        int second = operation.withPassword ? indexOf(line, first + 1, length, TAB) : -1;
        if (operation.withPassword && second < 0) {
            throw new MalformedRequest(word + " needs a user name and a password");
        }
        String name = utf8(line, first + 1, second < 0 ? length : second);
        char[] password = operation.withPassword ? chars(line, second + 1, length) : null;
        return new UserRequest(operation, name, password);
    }

    /** The whole answer to a request that succeeded. */
    static String answer(UserOutcome outcome) {
        StringBuilder out = new StringBuilder();
        if (outcome.users() != null) {
            for (UserListing u : outcome.users()) {
                out.append(USER)
                        .append('\t')
                        .append(u.name())
                        .append('\t')
                        .append(u.disabled() ? "yes" : "no")
                        .append('\t')
                        .append(u.createdAt())
                        .append('\n');
            }
        }
        return out.append(OK)
                .append('\t')
                .append(oneLine(outcome.sentence()))
                .append('\n')
                .toString();
    }

    /** The whole answer to a request that was refused or failed. */
    static String refusal(String sentence) {
        return ERROR + "\t" + oneLine(sentence) + "\n";
    }

    /**
     * Reads an answer.
     *
     * @return the outcome of a request that succeeded
     * @throws UserAdminException with the server's sentence when it refused the request, or saying
     *         what was wrong with an answer that does not follow the protocol
     */
    static UserOutcome readAnswer(BufferedReader in, boolean list) throws IOException, UserAdminException {
        List<UserListing> users = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            int tab = line.indexOf('\t');
            String kind = tab < 0 ? line : line.substring(0, tab);
            String rest = tab < 0 ? "" : line.substring(tab + 1);
            switch (kind) {
                case USER -> users.add(parseUser(rest));
                case OK -> {
                    return new UserOutcome(rest, list ? List.copyOf(users) : null);
                }
                case ERROR -> throw new UserAdminException(rest);
                default ->
                    throw new UserAdminException(
                            "The server answered something this tool does not " + "understand: " + printable(line));
            }
        }
        throw new UserAdminException("The server closed the admin socket without an answer; see the server's log.");
    }

    /** The text with every control character (line breaks, tabs) replaced by a space. */
    static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }

    private static UserListing parseUser(String fields) throws UserAdminException {
        String[] f = fields.split("\t", -1);
        if (f.length == 3 && (f[1].equals("yes") || f[1].equals("no"))) {
            try {
                return new UserListing(f[0], f[1].equals("yes"), Instant.parse(f[2]));
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new UserAdminException("The server sent a user line this tool does not understand: " + printable(fields));
    }

    private static String printable(String text) {
        String one = oneLine(text);
        return one.length() > 60 ? one.substring(0, 60) + "…" : one;
    }

    private static int indexOf(byte[] line, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] line, int from, int to) throws MalformedRequest {
        return decode(line, from, to).toString();
    }

    private static char[] chars(byte[] line, int from, int to) throws MalformedRequest {
        CharBuffer decoded = decode(line, from, to);
        char[] chars = new char[decoded.remaining()];
        decoded.get(chars);
        Arrays.fill(decoded.array(), '\0');
        return chars;
    }

    private static CharBuffer decode(byte[] line, int from, int to) throws MalformedRequest {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, from, to - from));
        } catch (CharacterCodingException e) {
            throw new MalformedRequest("the request is not UTF-8");
        }
    }
}

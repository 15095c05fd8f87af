package dev.wirehaven.client.internal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.client.internal.control.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The conversation on the access socket of a {@code connect} process ({@link AccessSocket}), between
 * {@code wirehaven-client access} in another shell and that process: one JSON object per line (UTF-8,
 * at most {@value #MAX_LINE} bytes), strictly in turn.
 *
 * <pre>
 *   access   {type: access, protocol, host, port}                       the command asks for a resource
 *   secret   {type: secret, server, username, prompt}                   the process needs a further factor:
 *     answer    {type: answer, secret} | {type: no-answer, message}       the command asks its person
 *   approval {type: approval, server, username, method, approval}       shown by the command; no answer
 *   granted  {type: granted, grant}                                     the end: the server's grant
 *   refused  {type: refused, reason, message}                           the end: why not (a ClientException.Reason)
 * </pre>
 *
 * The socket is owner-only, so both ends belong to the same user (or root); a secret typed at the
 * command goes to the process that holds the session, as it would have gone from that process's own
 * terminal.
 */
final class AccessWire {

    static final int MAX_LINE = 64 * 1024;

    static final String ACCESS = "access";
    static final String SECRET = "secret";
    static final String ANSWER = "answer";
    static final String NO_ANSWER = "no-answer";
    static final String APPROVAL = "approval";
    static final String GRANTED = "granted";
    static final String REFUSED = "refused";

    /** One line; which fields are set depends on {@link #type()}. */
    record Message(
            String type,
            String protocol,
            String host,
            Integer port,
            String server,
            String username,
            MethodPrompt prompt,
            String method,
            ApprovalPrompt approval,
            String secret,
            ResourceGrant grant,
            String reason,
            String message) {

        static Message access(String protocol, String host, int port) {
            return new Message(ACCESS, protocol, host, port, null, null, null, null, null, null, null, null, null);
        }

        static Message secret(String server, String username, MethodPrompt prompt) {
            return new Message(SECRET, null, null, null, server, username, prompt, null, null, null, null, null, null);
        }

        static Message answer(String secret) {
            return new Message(ANSWER, null, null, null, null, null, null, null, null, secret, null, null, null);
        }

        static Message noAnswer(String message) {
            return new Message(NO_ANSWER, null, null, null, null, null, null, null, null, null, null, null, message);
        }

        static Message approval(String server, String username, String method, ApprovalPrompt approval) {
            return new Message(
                    APPROVAL, null, null, null, server, username, null, method, approval, null, null, null, null);
        }

        static Message granted(ResourceGrant grant) {
            return new Message(GRANTED, null, null, null, null, null, null, null, null, null, grant, null, null);
        }

        static Message refused(String reason, String message) {
            return new Message(REFUSED, null, null, null, null, null, null, null, null, null, null, reason, message);
        }

        /** Never the secret. */
        @Override
        public String toString() {
            return "Message[" + type + "]";
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final ObjectMapper json = Json.mapper();

    AccessWire(SocketChannel channel) {
        this.in = new BufferedInputStream(Channels.newInputStream(channel));
        this.out = Channels.newOutputStream(channel);
    }

    /** The next message, or {@code null} when the other end closed the connection between two messages. */
    Message read() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new IOException("the connection ended in the middle of a message");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a message is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        try {
            Message m = json.readValue(bytes, Message.class);
            if (m == null || m.type() == null) {
                throw new IOException("a message without a type");
            }
            return m;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("a message that is not valid JSON: " + e.getOriginalMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0); // it may have carried a secret
        }
    }

    /** Sends {@code m} as one line. */
    void write(Message m) throws IOException {
        byte[] bytes = json.writeValueAsBytes(m);
        try {
            byte[] line = Arrays.copyOf(bytes, bytes.length + 1);
            line[bytes.length] = '\n';
            try {
                out.write(line);
                out.flush();
            } finally {
                Arrays.fill(line, (byte) 0);
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}

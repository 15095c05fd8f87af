package dev.wirehaven.wireguard.internal.uapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Newline-terminated ASCII lines over a blocking channel, with a bound on the line length so that a
 * client cannot make the server buffer without limit.
 */
final class LineChannel {

    /** Longer than any line the protocol has (a key line is 75 bytes, an endpoint with zone ~70). */
    static final int MAX_LINE = 4096;

    /** A line longer than {@link #MAX_LINE}: the stream cannot be resynchronised. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException() {
            super("line longer than " + MAX_LINE + " bytes");
        }
    }

    private final ByteChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(8192).flip();
    private final byte[] line = new byte[MAX_LINE];

    LineChannel(ByteChannel channel) {
        this.channel = channel;
    }

    /**
     * The next line without its {@code \n}, or {@code null} at end of stream. A last line without a
     * newline is returned as a line, as Go's {@code bufio.Scanner} does.
     */
    String readLine() throws IOException {
        int length = 0;
        while (true) {
            if (!in.hasRemaining()) {
                in.clear();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    return length == 0 ? null : text(length);
                }
                continue;
            }
            byte b = in.get();
            if (b == '\n') {
                return text(length);
            }
            if (length == MAX_LINE) {
                throw new LineTooLongException();
            }
            line[length++] = b;
        }
    }

    void write(String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private String text(int length) {
        // ISO-8859-1 maps every byte to one char, so a stray byte shows up in the error message as itself
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
    }
}

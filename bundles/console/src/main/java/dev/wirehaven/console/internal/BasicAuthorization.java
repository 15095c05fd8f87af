package dev.wirehaven.console.internal;

import dev.wirehaven.api.auth.PasswordCredential;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the user name and password from an HTTP {@code Authorization: Basic ...} header (RFC 7617).
 * The console's challenge announces {@code charset="UTF-8"}, so the decoded bytes are read as
 * strict UTF-8. The password never becomes a String: it goes from the decoded bytes into the
 * {@link PasswordCredential}'s wipeable {@code char[]}, and the intermediate buffers are wiped.
 * (The header value itself is a String owned by the servlet container and cannot be wiped.)
 */
final class BasicAuthorization {

    private static final String SCHEME = "Basic";

    private BasicAuthorization() {}

    /**
     * The credential in {@code header}, or empty when the header is missing, of another scheme, or
     * malformed (bad base64, no colon, empty user name, invalid UTF-8).
     */
    static Optional<PasswordCredential> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(h.substring(space + 1).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            int colon = indexOf(decoded, (byte) ':');
            if (colon <= 0) {
                return Optional.empty(); // RFC 7617: the user-id ends at the first colon and must not be empty
            }
            String user = new String(strictUtf8(decoded, 0, colon));
            char[] password = strictUtf8(decoded, colon + 1, decoded.length - colon - 1);
            try {
                return Optional.of(new PasswordCredential(user, password));
            } finally {
                Arrays.fill(password, '\0');
            }
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    private static char[] strictUtf8(byte[] bytes, int offset, int length) throws CharacterCodingException {
        CharBuffer chars = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, length));
        char[] out = new char[chars.remaining()];
        chars.get(out);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return out;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

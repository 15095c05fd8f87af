package dev.wirehaven.auth.local.internal.users;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where an operator's password comes from: typed twice on a terminal without echo, the first line
 * of a file, or one line of standard input (for scripts). Passwords are read as bytes and decoded
 * into a {@code char[]} without a {@code String} in between, so that the caller can wipe them.
 */
final class PasswordInput {

    /** Enough bytes for {@link UserAdministration#MAX_PASSWORD_LENGTH} chars of any script, and a line end. */
    static final int MAX_LINE_BYTES = UserAdministration.MAX_PASSWORD_LENGTH * 3 + 2;

    private PasswordInput() {}

    /**
     * The console when standard input and output are a terminal, where typing can be hidden.
     * Before JDK 22 a console exists only then; from JDK 22 one may exist for redirected streams
     * too, and {@code Console.isTerminal()} (called by name, since we compile for 17) tells.
     */
    static Optional<Console> terminal() {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? Optional.of(console) : Optional.empty();
        } catch (NoSuchMethodException before22) {
            return Optional.of(console);
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /** Asks for a new password twice without echo; refuses two different answers. */
    static char[] askTwice(Console console, String user) throws UserAdminException {
        char[] first = console.readPassword("New password for %s: ", user);
        if (first == null) {
            throw new UserAdminException("No password was entered.");
        }
        char[] second = console.readPassword("Repeat the password: ");
        try {
            if (second == null || !Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new UserAdminException("The two passwords differ; nothing was changed.");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** The first line of {@code file}, without its line end. */
    static char[] firstLineOf(Path file) throws UserAdminException {
        try (InputStream in = Files.newInputStream(file)) {
            return line(in, "the password file " + file);
        } catch (NoSuchFileException e) {
            throw new UserAdminException("The password file " + file + " does not exist.");
        } catch (AccessDeniedException e) {
            throw new UserAdminException("The password file " + file + " cannot be read: permission denied.");
        } catch (IOException e) {
            throw new UserAdminException("The password file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** One line of {@code in} (standard input), without its line end. */
    static char[] lineOf(InputStream in) throws UserAdminException {
        try {
            return line(in, "standard input");
        } catch (IOException e) {
            throw new UserAdminException("Standard input cannot be read: " + e.getMessage());
        }
    }

    private static char[] line(InputStream in, String source) throws IOException, UserAdminException {
        byte[] buffer = new byte[MAX_LINE_BYTES];
        int n = 0;
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n == buffer.length) {
                    throw new UserAdminException("The password in " + source + " is longer than "
                            + UserAdministration.MAX_PASSWORD_LENGTH + " characters.");
                }
                buffer[n++] = (byte) b;
            }
            if (b < 0 && n == 0) {
                throw new UserAdminException("There is no password in " + source + " (it is empty).");
            }
            if (n > 0 && buffer[n - 1] == '\r') {
                n--;
            }
            return decode(buffer, n, source);
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    private static char[] decode(byte[] bytes, int length, String source) throws UserAdminException {
        try {
            CharBuffer decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            char[] chars = new char[decoded.remaining()];
            decoded.get(chars);
            Arrays.fill(decoded.array(), '\0');
            return chars;
        } catch (CharacterCodingException e) {
            throw new UserAdminException("The password in " + source + " is not UTF-8 text.");
        }
    }
}

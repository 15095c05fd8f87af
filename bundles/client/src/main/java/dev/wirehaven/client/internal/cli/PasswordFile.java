package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code --password-file}: the password on the file's first line, for scripts. A file that the group or
 * others may read is refused, not merely warned about: a password that other users can read is no
 * longer the user's alone, and the run should stop before it is sent anywhere. The file is read anew
 * at each re-authentication, so that a rotated password is picked up.
 */
final class PasswordFile {

    private PasswordFile() {}

    /**
     * Refuses a file that is missing or that the group or others may read; checked before connecting,
     * and again at each read.
     */
    static void check(Path file) throws ClientException {
        Set<PosixFilePermission> p;
        try {
            p = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new ClientException(Reason.NO_CREDENTIALS, "the password file " + file + " does not exist", e);
        } catch (UnsupportedOperationException e) {
            return; // a file system without POSIX permissions: nothing to check
        } catch (IOException e) {
            throw new ClientException(
                    Reason.NO_CREDENTIALS, "cannot read the password file " + file + ": " + e.getMessage(), e);
        }
        if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
            throw new ClientException(
                    Reason.NO_CREDENTIALS,
                    "the password file " + file + " can be read by other users (" + PosixFilePermissions.toString(p)
                            + "); make it yours alone with 'chmod 600 " + file + "' and run again");
        }
    }

    /** The first line, without its line end; the caller clears the array. */
    static char[] read(Path file) throws ClientException {
        check(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ClientException(
                    Reason.NO_CREDENTIALS, "cannot read the password file " + file + ": " + e.getMessage(), e);
        }
        CharBuffer text = null;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < text.length() && text.charAt(end) != '\n') {
                end++;
            }
            if (end > 0 && text.charAt(end - 1) == '\r') {
                end--;
            }
            if (end == 0) {
                throw new ClientException(
                        Reason.NO_CREDENTIALS,
                        "the password file " + file + " is empty; write the password on its first line");
            }
            char[] line = new char[end];
            text.get(line, 0, end);
            return line;
        } catch (CharacterCodingException e) {
            throw new ClientException(Reason.NO_CREDENTIALS, "the password file " + file + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (text != null && text.hasArray()) {
                Arrays.fill(text.array(), '\0');
            }
        }
    }
}

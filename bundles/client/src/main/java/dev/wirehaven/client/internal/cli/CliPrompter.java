package dev.wirehaven.client.internal.cli;

import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * The command line's credentials: the password from {@code --password-file}, else one line of
 * standard input when that is not a terminal, else the console without echo; a one-time code from
 * the next line of standard input or the console.
 *
 * <p>Re-authentication: with a password file the file is read again (it is the authority, and a
 * rotated password is picked up); a password that was typed or piped is kept in memory, in an
 * array wiped at the end, because the command usually runs unattended for longer than a session
 * lasts and nobody would be there to type it again. A one-time code cannot be reused: it is asked
 * for again, which needs a terminal or more lines on standard input.
 */
final class CliPrompter implements CredentialPrompter, AutoCloseable {

    private final Path passwordFile;
    private final BufferedReader stdin;
    private final Console console;
    private final PrintStream err;
    private char[] remembered;
    private boolean warnedAboutMode;

    /** @param console the console when a person is at a terminal, else {@code null} */
    CliPrompter(Path passwordFile, BufferedReader stdin, Console console, PrintStream err) {
        this.passwordFile = passwordFile;
        this.stdin = stdin;
        this.console = console;
        this.err = err;
    }

    @Override
    public synchronized char[] password(URI server, String username) throws IOException {
        if (passwordFile != null) {
            return fromFile();
        }
        if (remembered != null) {
            return remembered.clone();
        }
        char[] password;
        if (console != null) {
            password = console.readPassword("Password for %s at %s: ", username, server.getAuthority());
            if (password == null) {
                throw new ClientException(Reason.NO_CREDENTIALS, "no password was typed");
            }
        } else {
            String line = stdin.readLine();
            if (line == null) {
                throw new ClientException(
                        Reason.NO_CREDENTIALS,
                        "no password: standard input is empty (pipe the" + " password in, or use --password-file)");
            }
            password = line.toCharArray();
        }
        remembered = password.clone();
        return password;
    }

    @Override
    public synchronized String oneTimeCode(URI server, String username, String method) throws IOException {
        if (console != null) {
            String code =
                    console.readLine("One-time code (%s) for %s at %s: ", method, username, server.getAuthority());
            if (code == null || code.isBlank()) {
                throw new ClientException(Reason.NO_CREDENTIALS, "no one-time code was typed");
            }
            return code.strip();
        }
        String line = stdin.readLine();
        if (line == null || line.isBlank()) {
            throw new ClientException(
                    Reason.NO_CREDENTIALS,
                    "the server asks for a one-time code (" + method
                            + "), but standard input has no further line with it");
        }
        return line.strip();
    }

    private char[] fromFile() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(passwordFile);
        } catch (IOException e) {
            throw new ClientException(
                    Reason.NO_CREDENTIALS, "cannot read the password file " + passwordFile + ": " + e.getMessage(), e);
        }
        try {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new ClientException(
                        Reason.NO_CREDENTIALS,
                        "the password file " + passwordFile + " is empty; write the password on its first line");
            }
            warnIfOthersCanRead();
            return line.toCharArray();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private void warnIfOthersCanRead() {
        if (warnedAboutMode) {
            return;
        }
        warnedAboutMode = true;
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(passwordFile);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("Warning: " + passwordFile + " can be read by other users; chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // cannot tell; no warning
        }
    }

    /** Wipes the remembered password. */
    @Override
    public synchronized void close() {
        if (remembered != null) {
            Arrays.fill(remembered, '\0');
            remembered = null;
        }
    }
}

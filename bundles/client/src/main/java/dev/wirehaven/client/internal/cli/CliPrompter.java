package dev.wirehaven.client.internal.cli;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line's credentials, asked for by what the server's prompt says (its kind and its text):
 * on a terminal, a question with the server's text, read without echo (passwords, codes and tokens
 * alike); without one, the next line of standard input, one line per answer in the order asked; a
 * password from {@code --password-file} when given. An approval is shown: the URI and the code to
 * enter there, and the URI with the code filled in.
 *
 * <p>Text from the server goes through {@link SafeText}: a hostile server cannot write terminal escapes
 * or bidi overrides into the question the person reads.
 *
 * <p>Re-authentication: with a password file the file is read again (it is the authority, and a
 * rotated password is picked up); a password that was typed or piped is kept in memory, per method, in
 * an array wiped at the end, because the command usually runs unattended for longer than a session
 * lasts and nobody would be there to type it again. A one-time code or a token cannot be reused: it is
 * asked for again, which needs a terminal or more lines on standard input.
 */
final class CliPrompter implements CredentialPrompter, AutoCloseable {

    private final Path passwordFile;
    private final BufferedReader stdin;
    private final Terminal terminal;
    private final PrintStream err;
    /** Passwords typed or piped, by method; wiped by {@link #close()}. */
    private final Map<String, char[]> remembered = new HashMap<>();

    /** @param terminal the terminal when a person is at one, else {@code null} */
    CliPrompter(Path passwordFile, BufferedReader stdin, Terminal terminal, PrintStream err) {
        this.passwordFile = passwordFile;
        this.stdin = stdin;
        this.terminal = terminal;
        this.err = err;
    }

    /** Every kind: a person can type a password, a code or a token, and follow an approval's link. */
    @Override
    public boolean answers(CredentialKind kind) {
        return true;
    }

    @Override
    public synchronized char[] secret(URI server, String username, MethodPrompt prompt) throws IOException {
        if (prompt.kind() == CredentialKind.PASSWORD) {
            if (passwordFile != null) {
                return PasswordFile.read(passwordFile);
            }
            char[] known = remembered.get(prompt.method());
            if (known != null) {
                return known.clone();
            }
        }
        char[] answer = terminal != null ? fromTerminal(server, username, prompt) : fromStdin(prompt);
        if (prompt.kind() == CredentialKind.PASSWORD) {
            char[] before = remembered.put(prompt.method(), answer.clone());
            if (before != null) {
                Arrays.fill(before, '\0');
            }
        }
        return answer;
    }

    @Override
    public char[] password(URI server, String username) throws IOException {
        return secret(server, username, new MethodPrompt("password", CredentialKind.PASSWORD, ""));
    }

    @Override
    public String oneTimeCode(URI server, String username, String method) throws IOException {
        return text(secret(server, username, new MethodPrompt(method, CredentialKind.ONE_TIME_CODE, "")));
    }

    @Override
    public String token(URI server, String username, String method) throws IOException {
        return text(secret(server, username, new MethodPrompt(method, CredentialKind.BEARER_TOKEN, "")));
    }

    @Override
    public synchronized void showApproval(URI server, String username, String method, ApprovalPrompt approval) {
        String code = approval.userCode().isEmpty() ? "" : " and enter the code " + approval.userCode();
        show("To approve the login of " + username + " at " + server.getAuthority() + " (" + method + "), open "
                + approval.verificationUri() + code);
        if (approval.verificationUriComplete() != null) {
            show("  or open " + approval.verificationUriComplete() + " (the code filled in)");
        }
        show("Waiting for the approval (it lapses at " + approval.expiresAt() + ")");
    }

    private char[] fromTerminal(URI server, String username, MethodPrompt prompt) throws ClientException {
        char[] answer = terminal.readSecret(SafeText.of(prompt.prompt()) + " for " + SafeText.of(username) + " at "
                + SafeText.of(server.getAuthority()) + ": ");
        if (answer == null || (prompt.kind() != CredentialKind.PASSWORD && isBlank(answer))) {
            throw new ClientException(Reason.NO_CREDENTIALS, "no " + what(prompt) + " was typed");
        }
        return answer;
    }

    private char[] fromStdin(MethodPrompt prompt) throws IOException {
        String line = stdin.readLine();
        if (line == null || (prompt.kind() != CredentialKind.PASSWORD && line.isBlank())) {
            throw new ClientException(
                    Reason.NO_CREDENTIALS,
                    "the server asks for " + what(prompt) + ", but standard input has no further line with it"
                            + (prompt.kind() == CredentialKind.PASSWORD
                                    ? " (pipe the password in, or use --password-file)"
                                    : " (give one line per answer, in the order asked)"));
        }
        return line.toCharArray();
    }

    private void show(String line) {
        String safe = SafeText.of(line);
        if (terminal != null) {
            terminal.println(safe);
        } else {
            err.println(safe);
        }
    }

    private static String what(MethodPrompt prompt) {
        String method = SafeText.of(prompt.method());
        return switch (prompt.kind()) {
            case PASSWORD -> "a password";
            case ONE_TIME_CODE -> "a one-time code (" + method + ")";
            case BEARER_TOKEN -> "a token (" + method + ")";
            default -> "an answer (" + method + ")";
        };
    }

    private static boolean isBlank(char[] chars) {
        for (char c : chars) {
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private static String text(char[] chars) {
        try {
            return new String(chars).strip();
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Wipes the remembered passwords. */
    @Override
    public synchronized void close() {
        for (char[] p : remembered.values()) {
            Arrays.fill(p, '\0');
        }
        remembered.clear();
    }
}

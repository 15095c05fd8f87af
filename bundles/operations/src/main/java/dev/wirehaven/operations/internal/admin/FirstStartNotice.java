package dev.wirehaven.operations.internal.admin;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The framed block that tells the operator the new admin password, on standard output and nowhere
 * else: log files are copied, shipped and kept, a terminal is not. It is printed once, on the start
 * that created the credential.
 *
 * <pre>
 * ==============================================================================
 *   Wirehaven admin user: admin  password: 7Kp2...
 *   This password is shown only this once; only a salted hash of it is stored, in
 *     /opt/wirehaven/data/admin.credential
 *   To reset it: stop the server, delete that file and start the server again.
 * ==============================================================================
 * </pre>
 */
final class FirstStartNotice {

    static final String RULE = "=".repeat(78);

    private FirstStartNotice() {}

    /** Prints the block; writes the password straight from the array so that no String copy of it is made. */
    static void print(PrintStream out, String user, char[] password, Path credentialFile) {
        StringBuilder before = new StringBuilder();
        before.append('\n').append(RULE).append('\n');
        before.append("  Wirehaven admin user: ").append(user).append("  password: ");
        StringBuilder after = new StringBuilder();
        after.append('\n');
        after.append("  This password is shown only this once; only a salted hash of it is stored, in\n");
        after.append("    ").append(credentialFile).append('\n');
        after.append("  To reset it: stop the server, delete that file and start the server again.\n");
        after.append(RULE).append('\n');
        synchronized (out) {
            // one block even if other threads print at the same moment
            out.print(before);
            out.print(password);
            out.print(after);
            out.flush();
        }
    }
}

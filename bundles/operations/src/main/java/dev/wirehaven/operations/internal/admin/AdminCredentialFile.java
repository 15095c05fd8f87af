package dev.wirehaven.operations.internal.admin;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The file {@code <data>/admin.credential}: the admin user name and password hash, owner-only
 * (rw-------). A text file of {@code key=value} lines, so that an operator can see what it holds
 * (and that it holds no password):
 *
 * <pre>
 * # Wirehaven admin credential ...
 * user=admin
 * hash=$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;
 * </pre>
 *
 * Deleting it resets the admin password: the next start creates a new one.
 */
final class AdminCredentialFile {

    static final String NAME = "admin.credential";

    private final Path path;

    AdminCredentialFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return Files.exists(path);
    }

    /**
     * Reads the credential.
     *
     * @throws IOException when the file cannot be read or is damaged; the message says how to recover
     */
    AdminCredential read() throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        Map<String, String> values = new HashMap<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw damaged("a line is not key=value");
            }
            values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        String user = values.get("user");
        String hash = values.get("hash");
        if (user == null || user.isBlank() || hash == null) {
            throw damaged("the user or hash line is missing");
        }
        try {
            return new AdminCredential(user, PasswordHash.parse(hash));
        } catch (IllegalArgumentException e) {
            throw damaged(e.getMessage());
        }
    }

    /** Writes a new credential file owner-only; refuses to overwrite an existing one. */
    void create(AdminCredential credential) throws IOException {
        String text = "# Wirehaven admin credential: the admin user name and a salted PBKDF2 hash of its password.\n"
                + "# The password itself is not stored anywhere. To reset it, stop the server, delete this file\n"
                + "# and start the server again: it creates a new password and prints it once.\n"
                + "user=" + credential.user() + "\n"
                + "hash=" + credential.passwordHash().encoded() + "\n";
        OwnerOnlyFiles.writeNew(path, text.getBytes(StandardCharsets.UTF_8));
    }

    private IOException damaged(String why) {
        return new IOException("The admin credential file " + path + " is damaged (" + why + "). Stop the server, "
                + "delete the file and start again to create a new admin password.");
    }
}

package dev.wirehaven.operations.internal.admin;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start: makes sure the admin credential exists. When the credential file is missing
 * (the first start, or after an operator deleted it to reset the password) it creates the data
 * directory owner-only (or restricts an existing one, such as the unpacked distribution's), generates
 * a random password, stores only its salted hash, and prints the password once to the console.
 * Later starts only read the file, and warn when file or directory have become readable by others.
 */
final class AdminCredentialSetup {

    private static final Logger LOG = LoggerFactory.getLogger(AdminCredentialSetup.class);

    private final DataDirectory dataDirectory;
    private final SecureRandom random;
    private final int iterations;
    private final PrintStream console;

    /**
     * @param dataDirectory where the credential file lives
     * @param random the source of the password and the salt
     * @param iterations PBKDF2 cost for a new credential ({@link PasswordHash#DEFAULT_ITERATIONS} in production)
     * @param console where the new password is printed (standard output in production)
     */
    AdminCredentialSetup(DataDirectory dataDirectory, SecureRandom random, int iterations, PrintStream console) {
        this.dataDirectory = dataDirectory;
        this.random = random;
        this.iterations = iterations;
        this.console = console;
    }

    AdminCredentialFile file() {
        return new AdminCredentialFile(dataDirectory.resolve(AdminCredentialFile.NAME));
    }

    /** Reads the admin credential, creating it first when it does not exist. */
    AdminCredential loadOrCreate() throws IOException {
        boolean ownerOnly = dataDirectory.ensureExists();
        AdminCredentialFile file = file();
        if (file.exists()) {
            if (!ownerOnly) {
                LOG.warn(
                        "The data directory {} can be read by other users; it holds secrets. Run: chmod 700 {}",
                        dataDirectory.path(),
                        dataDirectory.path());
            }
            if (!OwnerOnlyFiles.isOwnerOnly(file.path())) {
                LOG.warn(
                        "The admin credential file {} can be read by other users. Run: chmod 600 {}",
                        file.path(),
                        file.path());
            }
            AdminCredential credential = file.read();
            LOG.info("Admin credential for user '{}' loaded from {}", credential.user(), file.path());
            return credential;
        }
        if (!ownerOnly) {
            // the first start is about to put a secret here, and no operator choice about this directory
            // can have been made with that secret in mind (it usually comes from unpacking the distribution)
            dataDirectory.restrictToOwner();
            LOG.info(
                    "Restricted the data directory {} to its owner (rwx------) before storing the admin credential",
                    dataDirectory.path());
        }
        return create(file);
    }

    private AdminCredential create(AdminCredentialFile file) throws IOException {
        char[] password = new PasswordGenerator(random).next();
        try {
            AdminCredential credential = new AdminCredential(
                    AdminCredential.DEFAULT_USER, PasswordHash.create(password, random, iterations));
            file.create(credential);
            // printed only after the hash is safely on disk: a password that was shown must work
            FirstStartNotice.print(console, credential.user(), password, file.path());
            LOG.info(
                    "Admin credential for user '{}' created in {}; the password was printed once to standard output",
                    credential.user(),
                    file.path());
            return credential;
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}

package dev.wirehaven.auth.totp.internal.crypto;

import dev.wirehaven.server.support.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code <data>/totp.key}: the key of {@link TotpKeys}, made at the first enrollment and read by every
 * process that checks codes (the server, the offline command line). It decrypts every authenticator
 * secret of the store, so it is used only while it is the server user's own and nobody else can read it:
 * a key file that others could read, or that another user owns (and so could have replaced), is refused
 * with what to do, and never repaired silently, since whoever could read it may have copied it.
 *
 * <p>Format: {@code #} comment lines, then one line of standard Base64 of {@value TotpKeys#KEY_BYTES}
 * random bytes.
 */
public final class TotpKeyFile {

    /** The file's name in the data directory. */
    public static final String FILE_NAME = "totp.key";

    private static final String HEADER = """
            # Wirehaven TOTP key: it encrypts the authenticator secrets in the store and keys the backup codes'
            # hashes. Keep it owner-only (0600) and back it up with the database: without it every enrolled
            # user must enroll again.
            """;

    private final Path file;
    private final String serverUser;

    /** The key file of the data directory, for the user this process runs as. */
    public static TotpKeyFile in(Path dataDirectory) {
        return new TotpKeyFile(dataDirectory.resolve(FILE_NAME), System.getProperty("user.name"));
    }

    /**
     * @param file the key file
     * @param serverUser the user that must own it: the one this process runs as
     */
    TotpKeyFile(Path file, String serverUser) {
        this.file = file;
        this.serverUser = serverUser;
    }

    public Path path() {
        return file;
    }

    /** True when there is a file (or a link) at the key file's path. */
    public boolean exists() {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The keys from the file.
     *
     * @throws KeyFileException when the file is missing, not the server user's own, readable by others,
     *         or not a key
     */
    public TotpKeys load() throws KeyFileException {
        checkSafe();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("The TOTP key file " + file + " does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new KeyFileException("The TOTP key file " + file + " cannot be read: permission denied.", e);
        } catch (IOException e) {
            throw new KeyFileException("The TOTP key file " + file + " cannot be read: " + e.getMessage(), e);
        }
        byte[] master = null;
        try {
            master = parse(content);
            return new TotpKeys(master);
        } finally {
            Arrays.fill(content, (byte) 0);
            if (master != null) {
                Arrays.fill(master, (byte) 0);
            }
        }
    }

    /**
     * The keys from the file, which is created first (owner-only, atomically) when there is none.
     *
     * @throws KeyFileException as {@link #load()}, or when the file cannot be created
     */
    public TotpKeys loadOrCreate(SecureRandom random) throws KeyFileException {
        if (!exists()) {
            byte[] master = new byte[TotpKeys.KEY_BYTES];
            random.nextBytes(master);
            byte[] content =
                    (HEADER + Base64.getEncoder().encodeToString(master) + "\n").getBytes(StandardCharsets.US_ASCII);
            try {
                OwnerOnlyFiles.writeNew(file, content);
                return new TotpKeys(master);
            } catch (FileAlreadyExistsException raced) {
                // another process made it a moment ago: theirs is the key, since it may encrypt a secret already
                return load();
            } catch (IOException e) {
                throw new KeyFileException("The TOTP key file " + file + " cannot be created: " + e.getMessage(), e);
            } finally {
                Arrays.fill(master, (byte) 0);
                Arrays.fill(content, (byte) 0);
            }
        }
        return load();
    }

    private void checkSafe() throws KeyFileException {
        try {
            if (!exists()) {
                throw new KeyFileException("The TOTP key file " + file + " does not exist.");
            }
            if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new KeyFileException("The TOTP key file " + file + " is not a regular file (a link or a "
                        + "directory); it must be the server user's own file. Remove what is there, or restore the key"
                        + " file from a backup.");
            }
            String owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(serverUser)) {
                throw new KeyFileException(
                        "The TOTP key file " + file + " belongs to " + owner + ", not to " + serverUser
                                + ", the user this runs as: another user could have replaced it. Check it, then make it "
                                + serverUser + "'s (chown " + serverUser + " " + file + ") or run as its owner.");
            }
            if (!OwnerOnlyFiles.isOwnerOnly(file)) {
                throw new KeyFileException("The TOTP key file " + file + " has the permissions "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                        + ": other users can read it, and it decrypts every authenticator secret. Make it owner-only"
                        + " (chmod 600 " + file + "); if someone may have copied it, remove every enrollment and the"
                        + " key file, and enroll the users again.");
            }
        } catch (IOException e) {
            throw new KeyFileException("The TOTP key file " + file + " cannot be checked: " + e.getMessage(), e);
        }
    }

    private byte[] parse(byte[] content) throws KeyFileException {
        String key = null;
        for (String line : new String(content, StandardCharsets.US_ASCII).split("\\R")) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (key != null) {
                throw notAKey("it has more than one line of key");
            }
            key = text;
        }
        if (key == null) {
            throw notAKey("it has no key line");
        }
        byte[] master;
        try {
            master = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw notAKey("its key line is not Base64");
        }
        if (master.length != TotpKeys.KEY_BYTES) {
            Arrays.fill(master, (byte) 0);
            throw notAKey("its key has " + master.length + " bytes instead of " + TotpKeys.KEY_BYTES);
        }
        return master;
    }

    private KeyFileException notAKey(String why) {
        return new KeyFileException("The TOTP key file " + file + " is not a key: " + why
                + ". Restore it from a backup; without it the stored secrets cannot be decrypted.");
    }

    @Override
    public String toString() {
        return "TotpKeyFile[" + file + "]";
    }
}

package dev.wirehaven.policy.acl.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads the policy file, but only one that nobody else can change: it decides who reaches what, so a
 * file that a group or other users may write, or that another user owns (and so could rewrite or
 * re-permission), is refused with the fix, and never repaired silently, since whoever could write it may
 * have. Root and the user the server runs as may own it. A symbolic link is followed and its target
 * checked (configuration management often links files into {@code etc/}); the directory is the
 * operator's to protect, as for every other file of {@code etc/}.
 *
 * <p>Where the file system has no POSIX permissions there is nothing to check, and the file is read.
 */
final class PolicyFile {

    /** A policy is a few kilobytes; a larger file is almost certainly the wrong file. */
    static final int MAX_BYTES = 1 << 20;

    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private final Path path;
    private final String serverUser;
    private final Set<String> trustedOwners;

    /**
     * @param path the file
     * @param serverUser the user the server runs as, named in the fix
     * @param trustedOwners the owners whose file is used (the server user and root)
     */
    PolicyFile(Path path, String serverUser, Set<String> trustedOwners) {
        this.path = path;
        this.serverUser = serverUser;
        this.trustedOwners = Set.copyOf(trustedOwners);
    }

    /** The file at {@code path}, which root or the user this process runs as must own. */
    static PolicyFile at(Path path) {
        String user = System.getProperty("user.name");
        return new PolicyFile(path, user, Set.copyOf(List.of(user, "root"))); // copyOf: the user may be root
    }

    Path path() {
        return path;
    }

    /** What is there now. */
    FileState read() {
        try {
            FileState.Refused unsafe = check();
            if (unsafe != null) {
                return unsafe;
            }
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length > MAX_BYTES) {
                return tooLarge();
            }
            return new FileState.Content(text(bytes), sha256(bytes));
        } catch (NoSuchFileException e) {
            return new FileState.Missing();
        } catch (AccessDeniedException e) {
            return new FileState.Refused(
                    path + " cannot be read: permission denied",
                    "let the server's user read it (chmod u+r " + path + ")");
        } catch (CharacterCodingException e) {
            return new FileState.Refused(path + " is not UTF-8 text", "save it as UTF-8");
        } catch (IOException e) {
            return new FileState.Refused(path + " cannot be read: " + e, "check the file and its directory");
        }
    }

    private FileState.Refused check() throws IOException {
        PosixFileAttributes posix = posixAttributes();
        BasicFileAttributes basic = posix != null ? posix : Files.readAttributes(path, BasicFileAttributes.class);
        if (!basic.isRegularFile()) {
            return new FileState.Refused(path + " is not a regular file", "put the policy file there");
        }
        if (posix != null) {
            String owner = posix.owner().getName();
            if (!trustedOwners.contains(owner)) {
                return new FileState.Refused(
                        path + " belongs to " + owner + ", not to " + serverUser
                                + " (the server's user) or root, so another user could change the policy",
                        "check its content, then chown " + serverUser + " " + path);
            }
            if (posix.permissions().stream().anyMatch(OTHERS_WRITE::contains)) {
                return new FileState.Refused(
                        path + " has the permissions " + PosixFilePermissions.toString(posix.permissions())
                                + ", so other users could change the policy",
                        "check its content, then chmod go-w " + path);
            }
        }
        return basic.size() > MAX_BYTES ? tooLarge() : null;
    }

    private PosixFileAttributes posixAttributes() throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return null; // no POSIX permissions on this file system: nothing to check
        }
    }

    private FileState.Refused tooLarge() {
        return new FileState.Refused(
                path + " is larger than " + MAX_BYTES / 1024 + " KiB", "check that it is the policy file");
    }

    private static String text(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

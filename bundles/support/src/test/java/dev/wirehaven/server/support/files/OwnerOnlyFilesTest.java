package dev.wirehaven.server.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreatedOwnerOnlyWithItsMissingParents() throws IOException {
        Path dir = tmp.resolve("var/wirehaven/data");

        OwnerOnlyFiles.createDirectories(dir);

        assertEquals("rwx------", mode(dir));
        assertTrue(OwnerOnlyFiles.isOwnerOnly(dir.getParent()), mode(dir.getParent()));
        assertTrue(
                OwnerOnlyFiles.isOwnerOnly(dir.getParent().getParent()),
                mode(dir.getParent().getParent()));
    }

    @Test
    void anExistingDirectoryKeepsThePermissionsTheOperatorGaveIt() throws IOException {
        Path dir = directory("data", "rwxr-x---");

        OwnerOnlyFiles.createDirectories(dir);

        assertEquals("rwxr-x---", mode(dir));
    }

    @Test
    void restrictingADirectoryTakesAwayWhatGroupAndOthersHad() throws IOException {
        Path dir = directory("unpacked/data", "rwxr-xr-x");

        OwnerOnlyFiles.restrictDirectory(dir);

        assertEquals("rwx------", mode(dir));
    }

    @Test
    void aNewFileIsOwnerOnlyAndNothingIsLeftBesideIt() throws IOException {
        Path file = tmp.resolve("admin.credential");

        OwnerOnlyFiles.writeNew(file, bytes("user=admin\n"));

        assertOwnerOnlyFileHolding(file, "user=admin\n");
        assertEquals(List.of("admin.credential"), names(tmp), "no temporary file is left beside it");
    }

    @Test
    void aFileInAMissingDirectoryGetsAnOwnerOnlyDirectoryWhetherNewOrAReplacement() throws IOException {
        Path created = tmp.resolve("data/keys/wg0.key");
        Path replaced = tmp.resolve("imported/keys/wg1.key");

        OwnerOnlyFiles.writeNew(created, bytes("key\n"));
        OwnerOnlyFiles.replace(replaced, bytes("other key\n"));

        assertEquals("rwx------", mode(created.getParent()));
        assertOwnerOnlyFileHolding(created, "key\n");
        assertEquals("rwx------", mode(replaced.getParent()));
        assertOwnerOnlyFileHolding(replaced, "other key\n");
    }

    @Test
    void aNewFileIsRefusedWhereThereIsOneAndTheOldOneIsLeftAsItIs() throws IOException {
        Path file = Files.writeString(tmp.resolve("wg0.key"), "old\n");

        assertThrows(FileAlreadyExistsException.class, () -> OwnerOnlyFiles.writeNew(file, bytes("new\n")));

        assertEquals("old\n", Files.readString(file));
        assertEquals(List.of("wg0.key"), names(tmp), "no temporary file is left beside it");
    }

    @Test
    void aNewFileNeverTakesThePlaceOfWhatStandsThereEvenALinkToNothing() throws IOException {
        // Files.exists follows the link and finds nothing: only the final step (a link, not a rename) can refuse
        Path file = Files.createSymbolicLink(tmp.resolve("wg0.key"), tmp.resolve("nowhere"));

        assertThrows(FileAlreadyExistsException.class, () -> OwnerOnlyFiles.writeNew(file, bytes("new\n")));

        assertTrue(Files.isSymbolicLink(file));
        assertEquals(tmp.resolve("nowhere"), Files.readSymbolicLink(file));
        assertEquals(List.of("wg0.key"), names(tmp), "no temporary file is left beside it");
    }

    @Test
    void aReplacementTakesTheOldFilesPlaceWholeAndOwnerOnly() throws IOException {
        Path file = file("keystore.password", "old\n", "rw-r--r--");

        OwnerOnlyFiles.replace(file, bytes("new\n"));

        assertOwnerOnlyFileHolding(file, "new\n");
        assertEquals(List.of("keystore.password"), names(tmp), "no temporary file is left beside it");
    }

    @Test
    void aTemporaryFileThatACrashLeftBehindIsNoObstacle() throws IOException {
        file(".wg0.key.tmp", "half a ke", "rw-r--r--");
        Path created = tmp.resolve("wg0.key");
        Path replaced = Files.writeString(tmp.resolve("keystore.p12"), "old");
        Files.writeString(tmp.resolve(".keystore.p12.tmp"), "half a keyst");

        OwnerOnlyFiles.writeNew(created, bytes("whole key\n"));
        OwnerOnlyFiles.replace(replaced, bytes("whole keystore"));

        assertOwnerOnlyFileHolding(created, "whole key\n");
        assertEquals("whole keystore", Files.readString(replaced));
        assertEquals(List.of("keystore.p12", "wg0.key"), names(tmp));
    }

    @Test
    void aReplacementThatFailsLeavesWhatWasThereAndNoTemporaryFile() throws IOException {
        Path notAFile = Files.createDirectories(tmp.resolve("keystore.p12"));
        Files.writeString(notAFile.resolve("inside"), "kept");

        assertThrows(IOException.class, () -> OwnerOnlyFiles.replace(notAFile, bytes("keystore")));

        assertEquals("kept", Files.readString(notAFile.resolve("inside")));
        assertEquals(List.of("keystore.p12"), names(tmp));
    }

    @Test
    void aFileThatAlreadyHoldsTheBytesIsNotWrittenAgain() throws IOException {
        Path file = tmp.resolve("certificate.pem");
        OwnerOnlyFiles.replace(file, bytes("PEM\n"));
        Object before = inode(file);

        assertFalse(OwnerOnlyFiles.replaceIfDifferent(file, bytes("PEM\n")));

        assertEquals(before, inode(file), "the same file, not a new one with the same bytes");
    }

    @Test
    void aFileThatHoldsOtherBytesOrNoneIsReplaced() throws IOException {
        Path file = tmp.resolve("certificate.pem");
        assertTrue(OwnerOnlyFiles.replaceIfDifferent(file, bytes("PEM\n")));
        Object before = inode(file);

        assertTrue(OwnerOnlyFiles.replaceIfDifferent(file, bytes("other PEM\n")));

        assertOwnerOnlyFileHolding(file, "other PEM\n");
        assertNotEquals(before, inode(file), "replaced whole, not written in place");
    }

    @Test
    void onlyPermissionsThatGrantNothingToGroupOrOthersAreOwnerOnly() throws IOException {
        Path file = Files.createFile(tmp.resolve("file"));
        for (String ownerOnly : List.of("rw-------", "rwx------", "r--------", "---------")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(ownerOnly));
            assertTrue(OwnerOnlyFiles.isOwnerOnly(file), ownerOnly);
        }
        for (String open : List.of("rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rwx--x---", "rwx-----x")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(open));
            assertFalse(OwnerOnlyFiles.isOwnerOnly(file), open);
        }
    }

    @Test
    void aFileSystemWithoutPosixPermissionsIsWrittenAndLeftAsItIs() throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(tmp.resolve("store.zip"), Map.of("create", "true"))) {
            Path dir = zip.getPath("/tls");
            Path file = dir.resolve("certificate.pem");
            assertNull(
                    Files.getFileAttributeView(zip.getPath("/"), PosixFileAttributeView.class),
                    "the zip file system must be one without POSIX permissions for this test");

            OwnerOnlyFiles.createDirectories(dir);
            OwnerOnlyFiles.replace(file, bytes("PEM\n"));
            boolean again = OwnerOnlyFiles.replaceIfDifferent(file, bytes("PEM\n"));

            assertEquals("PEM\n", Files.readString(file));
            assertFalse(again);
            assertTrue(OwnerOnlyFiles.isOwnerOnly(file), "there is nothing that others could be granted");
            assertEquals(List.of("certificate.pem"), names(dir));
        }
    }

    private Path directory(String name, String mode) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    private Path file(String name, String content, String mode) throws IOException {
        Path file = Files.writeString(tmp.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void restrictingAFileThatOthersCanReadTakesGroupAndOtherBitsAndKeepsTheOwners() throws IOException {
        // keystore.password as an unpacked distribution or an editor's umask left it: rw-r--r--
        Path file = Files.writeString(tmp.resolve("keystore.password"), "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertTrue(OwnerOnlyFiles.restrictFile(file));

        assertEquals("rw-------", mode(file));
        assertEquals("secret\n", Files.readString(file));
    }

    @Test
    void restrictingAnOwnerOnlyFileChangesNothingAndSaysSo() throws IOException {
        // the owner's own choice (read-only here) is kept: only group and others lose anything
        Path file = Files.writeString(tmp.resolve("operator.password"), "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));

        assertFalse(OwnerOnlyFiles.restrictFile(file));

        assertEquals("r--------", mode(file));
    }

    @Test
    void restrictingAFileThatOnlyTheGroupCanWriteTakesThatToo() throws IOException {
        Path file = Files.writeString(tmp.resolve("tls.cfg"), "keystore.password = x\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));

        assertTrue(OwnerOnlyFiles.restrictFile(file));

        assertEquals("rw-------", mode(file));
    }

    private static void assertOwnerOnlyFileHolding(Path file, String content) throws IOException {
        assertEquals(content, Files.readString(file));
        assertEquals("rw-------", mode(file));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---- java.io.File's flags, where the default file system has no POSIX bits (Windows) ----

    @Test
    void withoutPosixBitsEachPermissionIsTakenFromEveryoneAndGivenBackToTheOwner() throws IOException {
        FlagFile f = new FlagFile(tmp.resolve("dir").toString(), true);

        OwnerOnlyFiles.restrictWithFileFlags(f, true);

        assertEquals(
                List.of(
                        "read everyone false",
                        "write everyone false",
                        "execute everyone false",
                        "read owner true",
                        "write owner true",
                        "execute owner true"),
                f.calls);
    }

    @Test
    void withoutPosixBitsAFileDoesNotGetItsExecutePermissionBack() throws IOException {
        FlagFile f = new FlagFile(tmp.resolve("file").toString(), true);

        OwnerOnlyFiles.restrictWithFileFlags(f, false);

        assertEquals(
                List.of(
                        "read everyone false",
                        "write everyone false",
                        "execute everyone false",
                        "read owner true",
                        "write owner true"),
                f.calls);
    }

    @Test
    void aPermissionThatTheFileSystemDoesNotHaveIsLeftAsItIs() throws IOException {
        // Windows: no read or execute permission to take, only the read-only attribute
        FlagFile f = new FlagFile(tmp.resolve("dir").toString(), true) {
            @Override
            public boolean setReadable(boolean readable, boolean ownerOnly) {
                super.setReadable(readable, ownerOnly);
                return false;
            }

            @Override
            public boolean setExecutable(boolean executable, boolean ownerOnly) {
                super.setExecutable(executable, ownerOnly);
                return false;
            }
        };

        OwnerOnlyFiles.restrictWithFileFlags(f, true);

        assertEquals(
                List.of("read everyone false", "write everyone false", "execute everyone false", "write owner true"),
                f.calls);
    }

    @Test
    void aPermissionTakenThatCannotBeGivenBackToTheOwnerIsAnError() {
        FlagFile f = new FlagFile(tmp.resolve("file").toString(), true) {
            @Override
            public boolean setWritable(boolean writable, boolean ownerOnly) {
                super.setWritable(writable, ownerOnly);
                return !writable;
            }
        };

        IOException e = assertThrows(IOException.class, () -> OwnerOnlyFiles.restrictWithFileFlags(f, false));

        assertTrue(e.getMessage().contains("owner-only"), e.getMessage());
    }

    /** Records the flag calls instead of making them, answering {@code answer}. */
    private static class FlagFile extends java.io.File {

        private static final long serialVersionUID = 1L;
        final transient List<String> calls = new java.util.ArrayList<>();
        private final boolean answer;

        FlagFile(String path, boolean answer) {
            super(path);
            this.answer = answer;
        }

        @Override
        public boolean setReadable(boolean readable, boolean ownerOnly) {
            calls.add("read " + (ownerOnly ? "owner " : "everyone ") + readable);
            return answer;
        }

        @Override
        public boolean setWritable(boolean writable, boolean ownerOnly) {
            calls.add("write " + (ownerOnly ? "owner " : "everyone ") + writable);
            return answer;
        }

        @Override
        public boolean setExecutable(boolean executable, boolean ownerOnly) {
            calls.add("execute " + (ownerOnly ? "owner " : "everyone ") + executable);
            return answer;
        }
    }
}

package dev.wirehaven.interfaces.internal.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class PrivateKeyFileTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theFirstStartCreatesAnOwnerOnlyKeyFileInAnOwnerOnlyDirectory() throws IOException {
        Path file = tmp.resolve("data/keys/wg0.key");

        Key key = new PrivateKeyFile(file).loadOrCreate();

        assertEquals("rwx------", mode(file.getParent()));
        assertEquals("rw-------", mode(file));
        assertEquals(key.toBase64() + "\n", Files.readString(file), "one base64 line, as wg genkey writes it");
        assertEquals(List.of("wg0.key"), names(file.getParent()), "no temporary file is left beside it");
    }

    @Test
    void laterStartsReadTheSameKeyAndLeaveTheFileAlone() throws IOException {
        Path file = tmp.resolve("keys/wg0.key");
        Key first = new PrivateKeyFile(file).loadOrCreate();
        var modified = Files.getLastModifiedTime(file);

        Key second = new PrivateKeyFile(file).loadOrCreate();

        assertEquals(first, second);
        assertEquals(modified, Files.getLastModifiedTime(file));
    }

    @Test
    void aKeyThatTheOperatorMadeWithWgGenkeyIsUsed() throws IOException {
        Key key = Keys.generatePrivate();
        Path file = ownerOnlyFile("wg0.key", key.toBase64() + "\n");

        assertEquals(key, new PrivateKeyFile(file).loadOrCreate());
    }

    @Test
    void aFileThatIsNotAKeyIsRefusedWithoutQuotingItsContent() throws IOException {
        Path file = ownerOnlyFile("wg0.key", "PrivateKey = not-a-key-but-maybe-a-secret\n");

        IOException e = assertThrows(IOException.class, () -> new PrivateKeyFile(file).loadOrCreate());

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not hold a base64 WireGuard private key"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertEquals(null, e.getCause(), "the parser's message could quote the content");
    }

    @Test
    void theAllZeroKeyIsRefused() throws IOException {
        Path file = ownerOnlyFile("wg0.key", Key.of(new byte[Key.LENGTH]).toBase64() + "\n");

        IOException e = assertThrows(IOException.class, () -> new PrivateKeyFile(file).loadOrCreate());

        assertTrue(e.getMessage().contains("all-zero key"), e.getMessage());
    }

    @Test
    void aDirectoryWhereTheKeyFileShouldBeIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("wg0.key"));

        IOException e = assertThrows(IOException.class, () -> new PrivateKeyFile(dir).loadOrCreate());

        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void aKeyFileThatOthersCanReadIsUsedWithAWarningThatSaysHowToFixIt() throws IOException {
        Key key = Keys.generatePrivate();
        Path file = ownerOnlyFile("wg0.key", key.toBase64());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Logger logger = (Logger) LoggerFactory.getLogger(PrivateKeyFile.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            assertEquals(key, new PrivateKeyFile(file).loadOrCreate());
        } finally {
            logger.detachAppender(log);
        }

        List<String> warnings =
                log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("Run: chmod 600 " + file), warnings.get(0));
        assertFalse(warnings.get(0).contains(key.toBase64()), "the key never reaches the log");
    }

    private Path ownerOnlyFile(String name, String content) throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        Path file = tmp.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

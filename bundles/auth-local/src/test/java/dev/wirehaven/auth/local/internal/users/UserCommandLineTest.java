package dev.wirehaven.auth.local.internal.users;

import static dev.wirehaven.auth.local.internal.users.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.auth.local.internal.store.User;
import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.server.support.files.DataDirectory;
import dev.wirehaven.store.embedded.OfflineStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line while no server runs: it opens the embedded store in the data directory itself. */
class UserCommandLineTest {

    @TempDir
    Path data;

    private Optional<User> stored(String name) throws Exception {
        try (OfflineStore store = OfflineStore.open(data)) {
            return new UserRepository(store.dataSource()).find(name);
        }
    }

    private boolean passwordOf(String name, String password) throws Exception {
        return new UserPasswords(new SecureRandom())
                .matches(password.toCharArray(), stored(name).orElseThrow().passwordHash());
    }

    private Path passwordFile(String content) throws Exception {
        return Files.writeString(data.resolve("password-" + content.hashCode()), content);
    }

    @Test
    void addsAUserFromAPasswordFileIntoANewStore() throws Exception {
        Path file = passwordFile("correct horse\nsecond line is not the password\n");
        CommandLineRun add = run(data, "", "add", "alice", "--password-file", file.toString());
        assertEquals(new CommandLineRun(0, "User alice added.\n", ""), add);
        assertTrue(Files.isRegularFile(data.resolve("db").resolve("wirehaven.mv.db")));
        assertFalse(Files.exists(AdminSocketAddress.socketIn(data)));
        assertTrue(passwordOf("alice", "correct horse"));
        assertFalse(stored("alice").orElseThrow().disabled());
    }

    @Test
    void takesThePasswordFileInEitherSpelling() throws Exception {
        Path file = passwordFile("windows line end\r\n");
        assertEquals(0, run(data, "", "add", "--password-file=" + file, "alice").status());
        assertTrue(passwordOf("alice", "windows line end"));
    }

    @Test
    void readsThePasswordAsOneLineOfStandardInput() throws Exception {
        assertEquals(0, run(data, "from stdin\nignored\n", "add", "bob").status());
        assertTrue(passwordOf("bob", "from stdin"));
        assertEquals(0, run(data, "no line end", "reset", "bob").status());
        assertTrue(passwordOf("bob", "no line end"));
    }

    @Test
    void refusesAnEmptyPassword() throws Exception {
        CommandLineRun nothing = run(data, "", "add", "alice");
        assertEquals(
                new CommandLineRun(1, "", "wirehaven user: There is no password in standard input (it is empty).\n"),
                nothing);
        CommandLineRun emptyLine = run(data, "\n", "add", "alice");
        assertEquals(
                new CommandLineRun(1, "", "wirehaven user: The password is empty; a user needs a password.\n"),
                emptyLine);
        CommandLineRun emptyFile = run(
                data, "", "add", "alice", "--password-file", passwordFile("\n").toString());
        assertEquals(1, emptyFile.status());
        assertFalse(Files.exists(data.resolve("db")), "a refused password touches no store");
    }

    @Test
    void listsDisablesEnablesResetsAndRemoves() throws Exception {
        run(data, "pw-a\n", "add", "alice");
        run(data, "pw-b\n", "add", "bob");
        assertEquals(
                new CommandLineRun(0, "User bob disabled: its password is refused until it is enabled again.\n", ""),
                run(data, "", "disable", "bob"));
        CommandLineRun list = run(data, "", "list");
        assertEquals(0, list.status());
        List<String> lines = list.out().lines().toList();
        assertEquals(3, lines.size(), list.out());
        assertTrue(lines.get(0).matches("NAME +DISABLED +CREATED"), lines.get(0));
        assertTrue(lines.get(1).matches("alice +no +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), lines.get(1));
        assertTrue(lines.get(2).matches("bob +yes +\\d{4}-.*Z"), lines.get(2));
        assertEquals(new CommandLineRun(0, "User bob enabled.\n", ""), run(data, "", "enable", "bob"));
        assertEquals(
                new CommandLineRun(0, "Password of user alice changed.\n", ""), run(data, "new-a\n", "reset", "alice"));
        assertTrue(passwordOf("alice", "new-a"));
        assertEquals(new CommandLineRun(0, "User bob removed.\n", ""), run(data, "", "remove", "bob"));
        assertEquals(
                List.of("alice"),
                run(data, "", "list")
                        .out()
                        .lines()
                        .skip(1)
                        .map(l -> l.split(" ")[0])
                        .toList());
    }

    @Test
    void saysSoWhenThereAreNoUsers() {
        assertEquals(new CommandLineRun(0, "No users.\n", ""), run(data, "", "list"));
    }

    @Test
    void aRefusedChangeExitsWithOneAndSaysWhy() {
        run(data, "pw\n", "add", "alice");
        assertEquals(
                new CommandLineRun(
                        1, "", "wirehaven user: User alice exists already (to change its password, " + "reset it).\n"),
                run(data, "other\n", "add", "alice"));
        assertEquals(
                new CommandLineRun(1, "", "wirehaven user: There is no user nobody.\n"),
                run(data, "", "remove", "nobody"));
        assertEquals(1, run(data, "", "disable", " padded").status());
        CommandLineRun missingFile = run(
                data,
                "",
                "reset",
                "alice",
                "--password-file",
                data.resolve("nope").toString());
        assertEquals(
                new CommandLineRun(
                        1, "", "wirehaven user: The password file " + data.resolve("nope") + " does not exist.\n"),
                missingFile);
    }

    @Test
    void wrongUsageExitsWithTwoAndShowsTheUsage() {
        String[][] wrong = {
            {},
            {"frobnicate"},
            {"add"},
            {"list", "alice"},
            {"add", "alice", "bob"},
            {"disable", "--password-file", "f", "alice"},
            {"add", "alice", "--password-file"},
            {"add", "alice", "--bogus"}
        };
        for (String[] args : wrong) {
            CommandLineRun r = run(data, "pw\n", args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertTrue(r.err().startsWith("wirehaven user: "), r.err());
            assertTrue(r.err().contains("Usage: bin/wirehaven user <command>"), r.err());
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(data.resolve("db")), "wrong usage touches nothing");
    }

    @Test
    void helpExitsWithZero() {
        CommandLineRun help = run(data, "", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("Usage: bin/wirehaven user <command>"));
        assertEquals(0, run(data, "", "add", "--help").status());
    }

    @Test
    void aNameThatLooksLikeAnOptionFollowsADoubleDash() throws Exception {
        assertEquals(0, run(data, "pw\n", "add", "--", "-dash").status());
        assertTrue(stored("-dash").isPresent());
    }

    @Test
    void findsTheDataDirectoryOfTheInstallation() throws Exception {
        Path home = Files.createDirectories(data.resolve("home"));
        Properties system = new Properties();
        system.setProperty(DataDirectory.HOME_PROPERTY, home.toString());
        assertEquals(home.resolve("data"), DataDirectory.installed(system));

        system.setProperty(DataDirectory.PROPERTY, data.resolve("from-option").toString());
        assertEquals(data.resolve("from-option"), DataDirectory.installed(system));

        Files.createDirectories(home.resolve("etc"));
        Files.writeString(
                home.resolve("etc").resolve("config.properties"),
                "# as the distribution writes it\nwirehaven.data=${wirehaven.home}/var/${sub}\nsub=wirehaven\n");
        assertEquals(
                home.resolve("var").resolve("wirehaven"),
                DataDirectory.installed(system),
                "the server reads the file's value, so the command line does too");
    }

    @Test
    void onAnInstallationThatSharesAPostgresStoreItSaysToUseARunningNodeAndTouchesNothing() throws Exception {
        Path home = Files.createDirectories(data.resolve("home"));
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/config.properties"), "wirehaven.store=postgres\n");
        Properties system = new Properties();
        system.setProperty(DataDirectory.HOME_PROPERTY, home.toString());
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int status = new UserCommandLine(
                        new java.io.ByteArrayInputStream(new byte[0]),
                        new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                        Optional::empty,
                        system)
                .run(new String[] {"list"});

        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, said);
        assertTrue(said.contains("wirehaven.store=postgres in etc/config.properties"), said);
        assertTrue(said.contains("run it on a running node of the cluster"), said);
        assertFalse(Files.exists(home.resolve("data/db")), "no embedded store was made beside the shared one");
    }

    @Test
    void theCommandLinesLoggingConfigurationShipsWhereItIsLookedFor() {
        org.junit.jupiter.api.Assertions.assertNotNull(
                UserCommandLine.class.getClassLoader().getResource(UserCommandLine.LOGGING), UserCommandLine.LOGGING);
    }
}

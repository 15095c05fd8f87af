package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.server.support.files.DataDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * One run of {@code bin/wirehaven user ...} in the test's process: the arguments, standard input,
 * and the data directory, without a terminal; what it printed and its exit status.
 */
record CommandLineRun(int status, String out, String err) {

    static CommandLineRun run(Path data, String stdin, String... args) {
        Properties system = new Properties();
        system.setProperty(DataDirectory.PROPERTY, data.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new UserCommandLine(
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Optional::empty,
                        system)
                .run(args);
        return new CommandLineRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
